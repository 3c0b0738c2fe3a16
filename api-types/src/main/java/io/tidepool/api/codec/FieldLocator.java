package io.tidepool.api.codec;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where each field of one document was written. Paths are dotted ({@code spec.compute.maxCu}),
 * list elements are indexed ({@code spec.restartWindow.days[1]}) and map keys that are not plain
 * words are quoted ({@code metadata.labels["app.kubernetes.io/name"]}).
 *
 * <p>A field that was not written (a missing required one, say) is placed at its nearest enclosing
 * field that was, and failing that at the start of the document.
 */
public record FieldLocator(SourcePosition document, Map<String, SourcePosition> fields) {
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    public FieldLocator {
        fields = Map.copyOf(fields);
    }

    public static FieldLocator documentOnly(SourcePosition document) {
        return new FieldLocator(document, Map.of());
    }

    public SourcePosition at(String fieldPath) {
        for (String path = fieldPath; path != null && !path.isEmpty(); path = parent(path)) {
            SourcePosition found = fields.get(path);
            if (found != null) {
                return found;
            }
        }
        return document;
    }

    /** The path of a field of the object at {@code parent}; an empty parent is the document itself. */
    public static String field(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    public static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    public static String entry(String parent, String key) {
        if (PLAIN_KEY.matcher(key).matches()) {
            return field(parent, key);
        }
        return parent + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
    }

    /** The path one step up, or null at the top. */
    static String parent(String path) {
        int cut;
        if (path.endsWith("\"]")) {
            cut = quotedKeyStart(path);
        } else if (path.endsWith("]")) {
            cut = path.lastIndexOf('[');
        } else {
            cut = path.lastIndexOf('.');
        }
        return cut <= 0 ? null : path.substring(0, cut);
    }

    /** Where the {@code ["..."]} ending a path starts: quotes inside a key are escaped, so the last {@code ["} opens it. */
    private static int quotedKeyStart(String path) {
        for (int i = path.length() - 3; i > 0; i--) {
            if (path.charAt(i) == '"' && path.charAt(i - 1) == '[') {
                return i - 1;
            }
        }
        return -1;
    }
}
