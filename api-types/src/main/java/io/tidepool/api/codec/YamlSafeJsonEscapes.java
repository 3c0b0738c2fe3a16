package io.tidepool.api.codec;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Locale;

/**
 * Escapes, beyond what JSON requires, the characters YAML refuses to see raw (DEL, the C1 controls,
 * the byte order mark, the Unicode line separators), so that any JSON we write is also YAML that
 * {@link ManifestCodec} can read back.
 */
final class YamlSafeJsonEscapes extends CharacterEscapes {
    private final int[] asciiEscapes;

    YamlSafeJsonEscapes() {
        asciiEscapes = standardAsciiEscapesForJSON();
        asciiEscapes[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
        return asciiEscapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
        boolean refusedByYaml = (ch >= 0x80 && ch <= 0x9F) || ch == 0x2028 || ch == 0x2029
                || ch == 0xFEFF || ch == 0xFFFE || ch == 0xFFFF || (ch >= 0xD800 && ch <= 0xDFFF);
        return refusedByYaml ? new SerializedString(String.format(Locale.ROOT, "\\u%04X", ch)) : null;
    }
}
