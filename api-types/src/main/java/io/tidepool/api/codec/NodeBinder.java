package io.tidepool.api.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Binds the node graph of one document to record types, strictly: unknown and duplicate fields,
 * wrong types and malformed quantities are errors at the line and column where they were written,
 * and binding goes on after an error so that one pass reports every mistake in the document.
 *
 * <p>It walks the graph by the shape of the target type, never by the shape of the nodes. The
 * record types are finite and not recursive, so an alias is only ever expanded as far as a field
 * of the schema reaches: aliases cannot multiply into an exponential tree here.
 */
final class NodeBinder {
    private static final Map<Class<?>, RecordShape> SHAPES = new ConcurrentHashMap<>();
    private static final int SHOWN_VALUE_MAX = 60;
    private static final int MESSAGE_MAX = 400;

    private final String source;
    private final String object;
    private final Map<String, SourcePosition> positions = new HashMap<>();
    private final List<ManifestError> errors = new ArrayList<>();

    /** The fields of a record type, in declaration order, and its canonical constructor. */
    private record RecordShape(Map<String, RecordComponent> fields, Constructor<?> constructor) {
        static RecordShape of(Class<?> type) {
            Map<String, RecordComponent> fields = new LinkedHashMap<>();
            for (RecordComponent c : type.getRecordComponents()) {
                fields.put(c.getName(), c);
            }
            Class<?>[] parameterTypes = fields.values().stream().map(RecordComponent::getType).toArray(Class<?>[]::new);
            try {
                return new RecordShape(fields, type.getDeclaredConstructor(parameterTypes));
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("a record always has a canonical constructor: " + type, e);
            }
        }
    }

    /** @param object how errors name the object being bound, like {@code Endpoint/shop}; may be null */
    NodeBinder(String source, String object) {
        this.source = source;
        this.object = object;
    }

    Map<String, SourcePosition> positions() {
        return positions;
    }

    List<ManifestError> errors() {
        return errors;
    }

    SourcePosition positionOf(Node node) {
        return new SourcePosition(source, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    void error(Node at, String path, String message) {
        // Messages quote what was found; a megabyte of garbage need not be quoted whole.
        String shown = message.length() > MESSAGE_MAX ? message.substring(0, MESSAGE_MAX) + "..." : message;
        errors.add(ManifestError.at(positionOf(at), object, path.isEmpty() ? null : path, shown));
    }

    /**
     * The fields of a mapping by name, reporting keys that are not strings, duplicates and names not
     * in {@code known}; only the first of duplicate keys counts.
     */
    Map<String, NodeTuple> fields(MappingNode mapping, String path, Collection<String> known) {
        Map<String, NodeTuple> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode(), path);
            if (key == null || isDuplicate(fields, key, tuple, path)) {
                continue;
            }
            if (!known.contains(key)) {
                error(tuple.getKeyNode(), FieldLocator.field(path, key), "unknown field \"" + key + "\": expected one of "
                        + String.join(", ", known) + Suggestion.didYouMean(key, known));
                continue;
            }
            fields.put(key, tuple);
        }
        return fields;
    }

    /** Binds the value of a field, first noting where it was written: at its key for a list or mapping. */
    Object field(NodeTuple tuple, Type type, String path) {
        Node value = tuple.getValueNode();
        positions.put(path, positionOf(value instanceof ScalarNode ? value : tuple.getKeyNode()));
        return bind(value, type, path);
    }

    /** Notes where {@code path} was written, for fields bound by hand rather than by {@link #field}. */
    void locate(String path, Node node) {
        positions.put(path, positionOf(node));
    }

    private Object bind(Node node, Type type, String path) {
        if (isNull(node)) {
            return nullFor(node, type, path);
        }
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] arguments = generic.getActualTypeArguments();
            if (raw == List.class) {
                return bindList(node, arguments[0], path);
            }
            if (raw == Map.class && arguments[0] == String.class) {
                return bindMap(node, arguments[1], path);
            }
            throw new IllegalStateException("no binding for " + type);
        }
        Class<?> target = (Class<?>) type;
        if (target.isRecord() && ScalarForm.of(target).isEmpty()) {
            return bindRecord(node, target, path);
        }
        return bindScalar(node, target, path);
    }

    private Object bindRecord(Node node, Class<?> type, String path) {
        RecordShape shape = SHAPES.computeIfAbsent(type, RecordShape::of);
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected a mapping with fields " + String.join(", ", shape.fields().keySet())
                    + ", got " + describe(node));
            return null;
        }
        int errorsBefore = errors.size();
        Map<String, NodeTuple> written = fields(mapping, path, shape.fields().keySet());
        Object[] arguments = new Object[shape.fields().size()];
        int i = 0;
        for (Map.Entry<String, RecordComponent> field : shape.fields().entrySet()) {
            NodeTuple tuple = written.get(field.getKey());
            Class<?> componentType = field.getValue().getType();
            arguments[i++] = tuple != null
                    ? field(tuple, field.getValue().getGenericType(), FieldLocator.field(path, field.getKey()))
                    : absent(componentType);
        }
        return errors.size() > errorsBefore ? null : construct(shape, arguments, node, path);
    }

    private Object construct(RecordShape shape, Object[] arguments, Node node, String path) {
        try {
            return shape.constructor().newInstance(arguments);
        } catch (InvocationTargetException e) {
            // Compact constructors only fill defaults; this is a last guard, not the way mistakes are reported.
            error(node, path, "invalid: " + e.getCause().getMessage());
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + shape.constructor().getDeclaringClass(), e);
        }
    }

    private List<Object> bindList(Node node, Type elementType, String path) {
        if (!(node instanceof SequenceNode sequence)) {
            error(node, path, "expected a list, got " + describe(node));
            return null;
        }
        List<Object> out = new ArrayList<>();
        List<Node> elements = sequence.getValue();
        for (int i = 0; i < elements.size(); i++) {
            String elementPath = FieldLocator.element(path, i);
            Node element = elements.get(i);
            positions.put(elementPath, positionOf(element));
            out.add(isNull(element) ? nullElement(element, elementType, elementPath) : bind(element, elementType, elementPath));
        }
        return out.contains(null) ? null : out;
    }

    private Map<String, Object> bindMap(Node node, Type valueType, String path) {
        if (!(node instanceof MappingNode mapping)) {
            error(node, path, "expected a mapping, got " + describe(node));
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, NodeTuple> seen = new HashMap<>();
        boolean complete = true;
        for (NodeTuple tuple : mapping.getValue()) {
            String key = keyText(tuple.getKeyNode(), path);
            if (key == null || isDuplicate(seen, key, tuple, path)) {
                complete = false;
                continue;
            }
            seen.put(key, tuple);
            String entryPath = FieldLocator.entry(path, key);
            Node value = tuple.getValueNode();
            Object bound = isNull(value) ? nullElement(value, valueType, entryPath) : field(tuple, valueType, entryPath);
            complete &= bound != null;
            out.put(key, bound);
        }
        return complete ? out : null;
    }

    private Object bindScalar(Node node, Class<?> type, String path) {
        if (!(node instanceof ScalarNode scalar)) {
            error(node, path, "expected " + expectation(type) + ", got " + describe(node));
            return null;
        }
        try {
            return ScalarReader.read(scalar, type);
        } catch (IllegalArgumentException e) {
            error(node, path, e.getMessage());
            return null;
        }
    }

    private Object nullFor(Node node, Type type, String path) {
        if (type instanceof Class<?> c && c.isPrimitive()) {
            error(node, path, "expected " + expectation(c) + ", got null");
        }
        return absent(type instanceof Class<?> c ? c : Object.class);
    }

    private Object nullElement(Node node, Type type, String path) {
        error(node, path, "expected " + expectation(type) + ", got null");
        return null;
    }

    /** A field left out: null, or zero for a primitive, as Jackson does. */
    private static Object absent(Class<?> type) {
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        if (type == double.class) {
            return 0.0;
        }
        if (type == boolean.class) {
            return false;
        }
        return null;
    }

    private String keyText(Node key, String path) {
        if (key instanceof ScalarNode scalar && !isNull(key)) {
            return scalar.getValue();
        }
        error(key, path, "expected a field name, got " + describe(key));
        return null;
    }

    private boolean isDuplicate(Map<String, NodeTuple> seen, String key, NodeTuple tuple, String path) {
        NodeTuple first = seen.get(key);
        if (first == null) {
            return false;
        }
        SourcePosition firstAt = positionOf(first.getKeyNode());
        error(tuple.getKeyNode(), FieldLocator.entry(path, key), "duplicate key \"" + key + "\": expected each key once, found it"
                + " again after line " + firstAt.line() + " column " + firstAt.column());
        return true;
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /** What a node holds, for "got ...": a scalar as written (strings quoted), or the kind of collection. */
    static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        String value = ((ScalarNode) node).getValue();
        String shown = value.length() > SHOWN_VALUE_MAX ? value.substring(0, SHOWN_VALUE_MAX) + "..." : value;
        if (!Tag.STR.equals(node.getTag())) {
            return shown;
        }
        return "\"" + shown.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** What a value of {@code type} looks like, for "expected ...". */
    static String expectation(Type type) {
        if (type instanceof ParameterizedType generic) {
            return generic.getRawType() == List.class ? "a list" : "a mapping";
        }
        Class<?> c = (Class<?>) type;
        if (c.isRecord() && ScalarForm.of(c).isEmpty()) {
            return "a mapping with fields " + Arrays.stream(c.getRecordComponents())
                    .map(RecordComponent::getName).collect(Collectors.joining(", "));
        }
        if (c.isEnum() && ScalarForm.of(c).isEmpty()) {
            return "one of " + String.join(", ", ScalarReader.enumNames(c));
        }
        return ScalarForm.of(c).map(ScalarForm::expected).orElseGet(() -> switch (c.getSimpleName().toLowerCase(Locale.ROOT)) {
            case "string" -> "a string";
            case "boolean" -> "true or false";
            case "int", "integer", "long" -> "a whole number";
            default -> "a number";
        });
    }
}
