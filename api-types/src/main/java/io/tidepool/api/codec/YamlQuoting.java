package io.tidepool.api.codec;

import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Quotes every string that some YAML reader would take for something else when unquoted, and every
 * string with characters that must be escaped. Jackson
 * quotes the words and numbers it knows; this adds what YAML 1.1 readers misread too, such as
 * {@code 12:30} (a sexagesimal 750), {@code 2024-05-01} (a timestamp) or {@code 0o17}. Any text with
 * a colon is quoted too, so that every time of day looks alike ({@code start: "02:00"}) and no reader
 * can take one for a key.
 */
final class YamlQuoting extends StringQuotingChecker.Default {
    private static final Resolver YAML_1_1 = new Resolver();
    private static final Resolver YAML_1_2 = new CoreSchemaResolver();

    @Override
    public boolean needToQuoteName(String name) {
        return super.needToQuoteName(name) || readsAsNonString(name);
    }

    @Override
    public boolean needToQuoteValue(String value) {
        return super.needToQuoteValue(value) || readsAsNonString(value);
    }

    private static boolean readsAsNonString(String text) {
        return text.indexOf(':') >= 0
                || hasCharacterToEscape(text)
                || !Tag.STR.equals(YAML_1_1.resolve(NodeId.scalar, text, true))
                || !Tag.STR.equals(YAML_1_2.resolve(NodeId.scalar, text, true));
    }

    /**
     * Characters only a double-quoted scalar can carry, as escapes. Unquoted or single-quoted, the
     * emitter writes them raw, and a reader takes NEL and the Unicode separators for line breaks.
     */
    private static boolean hasCharacterToEscape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < ' ' || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029' || c == '\uFEFF') {
                return true;
            }
        }
        return !StreamReader.isPrintable(text);
    }
}
