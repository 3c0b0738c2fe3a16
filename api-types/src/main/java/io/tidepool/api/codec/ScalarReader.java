package io.tidepool.api.codec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML scalar as a Java value, without the coercions that hide mistakes: a number is not
 * a boolean, a quoted "0.9" is not a number. A string field does take an unquoted number or boolean
 * as its text, since {@code max_connections: 200} means "200" and nothing is lost.
 */
final class ScalarReader {
    private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.FLOAT, Tag.BOOL);

    private ScalarReader() {
    }

    /** @throws IllegalArgumentException saying what was expected and what was found */
    static Object read(ScalarNode scalar, Class<?> type) {
        Tag tag = scalar.getTag();
        if (!PLAIN_TAGS.contains(tag)) {
            throw new IllegalArgumentException("expected " + NodeBinder.expectation(type) + ", got a value tagged "
                    + tag.getValue() + ", a tag manifests do not use");
        }
        String text = scalar.getValue();
        if (type == String.class) {
            return text;
        }
        if (type == Boolean.class || type == boolean.class) {
            require(tag == Tag.BOOL, scalar, type);
            return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
        }
        if (type == Integer.class || type == int.class) {
            require(tag == Tag.INT, scalar, type);
            long value = wholeNumber(text, scalar);
            if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("expected a whole number from " + Integer.MIN_VALUE + " to "
                        + Integer.MAX_VALUE + ", got " + NodeBinder.describe(scalar));
            }
            return (int) value;
        }
        if (type == Long.class || type == long.class) {
            require(tag == Tag.INT, scalar, type);
            return wholeNumber(text, scalar);
        }
        if (type == Double.class || type == double.class) {
            require(tag == Tag.INT || tag == Tag.FLOAT, scalar, type);
            return finiteNumber(text, scalar);
        }
        Optional<ScalarForm<?>> form = ScalarForm.of(type);
        if (form.isPresent()) {
            require(tag != Tag.BOOL, scalar, type);
            return form.get().parse(text);
        }
        if (type.isEnum()) {
            return enumValue(text, scalar, type);
        }
        throw new IllegalStateException("no binding for " + type);
    }

    /** An enum's values as manifests write them: by {@code toString()}, which is the declared spelling. */
    static List<String> enumNames(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (Object constant : type.getEnumConstants()) {
            names.add(constant.toString());
        }
        return names;
    }

    private static Object enumValue(String text, ScalarNode scalar, Class<?> type) {
        for (Object constant : type.getEnumConstants()) {
            if (constant.toString().equals(text)) {
                return constant;
            }
        }
        List<String> names = enumNames(type);
        throw new IllegalArgumentException("expected one of " + String.join(", ", names) + ", got "
                + NodeBinder.describe(scalar) + Suggestion.didYouMean(text, names));
    }

    private static long wholeNumber(String text, ScalarNode scalar) {
        try {
            if (text.startsWith("0x")) {
                return Long.parseLong(text.substring(2), 16);
            }
            if (text.startsWith("0o")) {
                return Long.parseLong(text.substring(2), 8);
            }
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    + ", got " + NodeBinder.describe(scalar));
        }
    }

    private static double finiteNumber(String text, ScalarNode scalar) {
        double value;
        if (text.startsWith("0x") || text.startsWith("0o")) {
            value = wholeNumber(text, scalar);
        } else {
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                value = Double.NaN; // .inf and .nan, which YAML has and Java does not spell that way
            }
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("expected a finite number, got " + NodeBinder.describe(scalar));
        }
        return value;
    }

    private static void require(boolean rightKind, ScalarNode scalar, Class<?> type) {
        if (!rightKind) {
            throw new IllegalArgumentException("expected " + NodeBinder.expectation(type) + ", got " + NodeBinder.describe(scalar));
        }
    }
}
