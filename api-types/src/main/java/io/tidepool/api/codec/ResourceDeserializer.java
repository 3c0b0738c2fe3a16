package io.tidepool.api.codec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads a resource from its document. Tidepool writes {@code kind} before {@code spec}, so spec and
 * status are normally bound as they stream past; only hand-written JSON that puts them first is
 * buffered until the kind is known.
 */
final class ResourceDeserializer extends StdDeserializer<Resource> {
    private final Kind expected;
    private final transient Map<Class<?>, JsonDeserializer<Object>> partDeserializers = new ConcurrentHashMap<>();

    /** @param expected the kind the caller asked for, or null to take the kind the document names */
    ResourceDeserializer(Kind expected) {
        super(expected == null ? Resource.class : expected.type());
        this.expected = expected;
    }

    @Override
    public Resource deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.isExpectedStartObjectToken()) {
            return ctxt.reportInputMismatch(this, "expected an object with apiVersion, kind, metadata and spec, got %s",
                    ResourceModule.describe(p.currentToken()));
        }
        Kind kind = null;
        boolean sawApiVersion = false;
        ObjectMeta metadata = null;
        Object spec = null;
        Object status = null;
        TokenBuffer pendingSpec = null;
        TokenBuffer pendingStatus = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case Envelope.API_VERSION -> {
                    checkApiVersion(p, ctxt);
                    sawApiVersion = true;
                }
                case Envelope.KIND -> kind = kind(p, ctxt);
                case Envelope.METADATA -> metadata = (ObjectMeta) readPart(p, ctxt, Envelope.METADATA, ObjectMeta.class);
                case Envelope.SPEC -> {
                    if (kind == null) {
                        pendingSpec = ctxt.bufferAsCopyOfValue(p);
                    } else {
                        spec = readPart(p, ctxt, Envelope.SPEC, Envelope.specType(kind));
                    }
                }
                case Envelope.STATUS -> {
                    if (kind == null) {
                        pendingStatus = ctxt.bufferAsCopyOfValue(p);
                    } else {
                        status = readPart(p, ctxt, Envelope.STATUS, Envelope.statusType(kind));
                    }
                }
                default -> ctxt.reportInputMismatch(this, "unknown field \"%s\": expected one of %s%s", field,
                        String.join(", ", Envelope.FIELDS), Suggestion.didYouMean(field, Envelope.FIELDS));
            }
        }
        if (!sawApiVersion) {
            ctxt.reportInputMismatch(this, "missing apiVersion: expected %s", Resource.API_VERSION);
        }
        if (kind == null) {
            if (expected == null) {
                return ctxt.reportInputMismatch(this, "missing kind: expected one of %s", kindNames());
            }
            kind = expected;
        }
        spec = pendingSpec == null ? spec : readBuffered(pendingSpec, ctxt, Envelope.SPEC, Envelope.specType(kind));
        status = pendingStatus == null ? status : readBuffered(pendingStatus, ctxt, Envelope.STATUS, Envelope.statusType(kind));
        return Envelope.assemble(kind, metadata, spec, status);
    }

    private void checkApiVersion(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING || !Resource.API_VERSION.equals(p.getText())) {
            ctxt.reportInputMismatch(this, "expected apiVersion %s, got %s", Resource.API_VERSION, p.getText());
        }
    }

    private Kind kind(JsonParser p, DeserializationContext ctxt) throws IOException {
        String name = p.currentToken() == JsonToken.VALUE_STRING ? p.getText() : null;
        Kind kind = name == null ? null : Kind.ofDisplayName(name).orElse(null);
        if (kind == null) {
            return ctxt.reportInputMismatch(this, "unknown kind %s: expected one of %s%s", p.getText(), kindNames(),
                    name == null ? "" : Suggestion.didYouMean(name, Kind.displayNames()));
        }
        if (expected != null && kind != expected) {
            return ctxt.reportInputMismatch(this, "expected kind %s, got %s", expected.displayName(), kind.displayName());
        }
        return kind;
    }

    private Object readBuffered(TokenBuffer buffer, DeserializationContext ctxt, String field, Class<?> type)
            throws IOException {
        try (JsonParser replay = buffer.asParserOnFirstToken()) {
            return readPart(replay, ctxt, field, type);
        }
    }

    /**
     * Reads one part of the envelope as {@code ctxt.readValue} would; a failure inside it names its
     * path from the top, like spec.compute.maxCu.
     */
    private Object readPart(JsonParser p, DeserializationContext ctxt, String field, Class<?> type) throws IOException {
        try {
            JsonDeserializer<Object> deserializer = partDeserializer(ctxt, type);
            return p.hasToken(JsonToken.VALUE_NULL) ? deserializer.getNullValue(ctxt) : deserializer.deserialize(p, ctxt);
        } catch (JsonMappingException e) {
            throw JsonMappingException.wrapWithPath(e, Resource.class, field);
        }
    }

    /**
     * The deserializer of a part, found once: Jackson looks up a root deserializer afresh on every
     * {@code readValue}, introspecting the class's annotations each time, which cost as much as
     * reading the whole resource. Each mapper has its own module, so its own instance of this.
     */
    private JsonDeserializer<Object> partDeserializer(DeserializationContext ctxt, Class<?> type) throws JsonMappingException {
        JsonDeserializer<Object> deserializer = partDeserializers.get(type);
        if (deserializer == null) {
            deserializer = ctxt.findRootValueDeserializer(ctxt.constructType(type));
            partDeserializers.put(type, deserializer);
        }
        return deserializer;
    }

    private static String kindNames() {
        return String.join(", ", Kind.displayNames());
    }
}
