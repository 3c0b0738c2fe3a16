package io.tidepool.api.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads manifests strictly and writes resources in their canonical text. Decoding never throws on
 * bad input: it reports every mistake it can find, each with file, line, column, object and field
 * path, and stops early only where the YAML itself cannot be read further. Thread-safe.
 */
public final class ManifestCodec {
    private static final String DOCUMENT_SEPARATOR = "---\n";

    private final ManifestLimits limits;
    private final ObjectMapper yaml;
    private final ObjectWriter prettyJson;

    public ManifestCodec() {
        this(ManifestLimits.DEFAULTS);
    }

    public ManifestCodec(ManifestLimits limits) {
        this.limits = limits;
        this.yaml = ResourceModule.configure(YAMLMapper.builder(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .stringQuotingChecker(new YamlQuoting())
                .build()));
        this.prettyJson = ResourceJson.mapper().writer(new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER)));
    }

    public ManifestLimits limits() {
        return limits;
    }

    /** Decodes every document of {@code text}; {@code source} names it in errors, usually a file path. */
    public ParsedManifests decode(String source, String text) {
        long size = utf8Length(text);
        if (size > limits.maxFileBytes()) {
            return new ParsedManifests(List.of(), List.of(ManifestError.at(SourcePosition.startOf(source), null, null,
                    "expected a file of at most " + limits.maxFileBytes() + " bytes (ManifestLimits.maxFileBytes), got "
                            + size + " bytes")));
        }
        List<ManifestDocument> documents = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        errors.addAll(YamlDocuments.read(source, text, limits, root -> decodeDocument(source, root, documents, errors)));
        errors.sort(Comparator.comparingInt(ManifestError::line).thenComparingInt(ManifestError::column));
        return new ParsedManifests(documents, errors);
    }

    public String toYaml(Resource resource) {
        try {
            return yaml.writeValueAsString(resource);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + resource.ref() + " as YAML: " + e.getOriginalMessage(), e);
        }
    }

    /** The resources as one multi-document YAML text, separated by {@code ---}. */
    public String toYaml(List<? extends Resource> resources) {
        StringBuilder out = new StringBuilder();
        for (Resource resource : resources) {
            if (out.length() > 0) {
                out.append(DOCUMENT_SEPARATOR);
            }
            out.append(toYaml(resource));
        }
        return out.toString();
    }

    /** Indented JSON for people to read; {@link ResourceJson} has the compact form. */
    public String toJson(Resource resource) {
        try {
            return prettyJson.writeValueAsString(resource) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + resource.ref() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private void decodeDocument(String source, Node root, List<ManifestDocument> documents, List<ManifestError> errors) {
        if (!(root instanceof MappingNode mapping)) {
            NodeBinder binder = new NodeBinder(source, null);
            binder.error(root, "", "expected a document with apiVersion, kind, metadata and spec, got " + NodeBinder.describe(root));
            errors.addAll(binder.errors());
            return;
        }
        Optional<Kind> kind = peekScalar(mapping, Envelope.KIND).flatMap(Kind::ofDisplayName);
        NodeBinder binder = new NodeBinder(source, ManifestError.objectName(kind.orElse(null), peekName(mapping)));
        SourcePosition start = binder.positionOf(root);
        Map<String, NodeTuple> fields = binder.fields(mapping, "", Envelope.FIELDS);
        checkApiVersion(binder, mapping, fields.get(Envelope.API_VERSION));
        checkKind(binder, mapping, fields.get(Envelope.KIND), kind);
        if (kind.isEmpty()) {
            errors.addAll(binder.errors());
            return;
        }
        Object metadata = bindPart(binder, fields, Envelope.METADATA, ObjectMeta.class);
        Object spec = bindPart(binder, fields, Envelope.SPEC, Envelope.specType(kind.get()));
        Object status = bindPart(binder, fields, Envelope.STATUS, Envelope.statusType(kind.get()));
        if (!binder.errors().isEmpty()) {
            errors.addAll(binder.errors());
            return;
        }
        Resource resource = Envelope.assemble(kind.get(), (ObjectMeta) metadata, spec, status);
        documents.add(new ManifestDocument(resource, start, new FieldLocator(start, binder.positions())));
    }

    private static Object bindPart(NodeBinder binder, Map<String, NodeTuple> fields, String name, Class<?> type) {
        NodeTuple tuple = fields.get(name);
        return tuple == null ? null : binder.field(tuple, type, name);
    }

    private static void checkApiVersion(NodeBinder binder, MappingNode document, NodeTuple apiVersion) {
        if (apiVersion == null) {
            binder.error(document, Envelope.API_VERSION, "missing apiVersion: expected " + Resource.API_VERSION);
            return;
        }
        Node value = apiVersion.getValueNode();
        binder.locate(Envelope.API_VERSION, value);
        if (!(value instanceof ScalarNode scalar) || !Resource.API_VERSION.equals(scalar.getValue())) {
            binder.error(value, Envelope.API_VERSION, "expected " + Resource.API_VERSION + ", got " + NodeBinder.describe(value));
        }
    }

    private static void checkKind(NodeBinder binder, MappingNode document, NodeTuple kindField, Optional<Kind> kind) {
        String expected = "expected one of " + String.join(", ", Kind.displayNames());
        if (kindField == null) {
            binder.error(document, Envelope.KIND, "missing kind: " + expected);
            return;
        }
        Node value = kindField.getValueNode();
        binder.locate(Envelope.KIND, value);
        if (kind.isEmpty()) {
            String found = value instanceof ScalarNode scalar ? scalar.getValue() : "";
            binder.error(value, Envelope.KIND, "unknown kind: " + expected + ", got " + NodeBinder.describe(value)
                    + Suggestion.didYouMean(found, Kind.displayNames()));
        }
    }

    /** The text of a top-level scalar field, read before binding so that every error can name the object. */
    private static Optional<String> peekScalar(MappingNode mapping, String field) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && field.equals(key.getValue())
                    && tuple.getValueNode() instanceof ScalarNode value && !NodeBinder.isNull(value)) {
                return Optional.of(value.getValue());
            }
        }
        return Optional.empty();
    }

    private static String peekName(MappingNode document) {
        for (NodeTuple tuple : document.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && Envelope.METADATA.equals(key.getValue())
                    && tuple.getValueNode() instanceof MappingNode metadata) {
                return peekScalar(metadata, "name").orElse(null);
            }
        }
        return null;
    }

    /** Bytes the text takes in UTF-8, counted without encoding it. */
    private long utf8Length(String text) {
        if ((long) text.length() * 3 <= limits.maxFileBytes()) {
            return text.length(); // a lower bound, and the text cannot be over the limit: no need to count
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes;
    }
}
