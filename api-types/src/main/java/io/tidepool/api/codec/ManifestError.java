package io.tidepool.api.codec;

import io.tidepool.api.resource.Kind;

/**
 * One mistake in a manifest, placed so that an editor can jump to it.
 *
 * @param object the object it belongs to as {@code Kind/name}, just {@code Kind} when the name is
 *               missing, or null when not even the kind is known
 * @param field  the dotted path of the field, like {@code spec.restartWindow.days[1]}, or null when
 *               the mistake is about the whole document or file
 * @param message what was expected and what was found
 */
public record ManifestError(String source, int line, int column, String object, String field, String message) {

    public static ManifestError at(SourcePosition position, String object, String field, String message) {
        return new ManifestError(position.source(), position.line(), position.column(), object, field, message);
    }

    /** How errors name an object: {@code Endpoint/shop}, or {@code Endpoint} before its name is known. */
    public static String objectName(Kind kind, String name) {
        if (kind == null) {
            return null;
        }
        return name == null || name.isEmpty() ? kind.displayName() : kind.displayName() + "/" + name;
    }

    public SourcePosition position() {
        return new SourcePosition(source, line, column);
    }

    /** {@code file:line:column: Kind/name: field.path: message}, leaving out the parts not known. */
    public String format() {
        StringBuilder out = new StringBuilder().append(source).append(':').append(line).append(':').append(column);
        if (object != null) {
            out.append(": ").append(object);
        }
        if (field != null) {
            out.append(": ").append(field);
        }
        return out.append(": ").append(message).toString();
    }

    @Override
    public String toString() {
        return format();
    }
}
