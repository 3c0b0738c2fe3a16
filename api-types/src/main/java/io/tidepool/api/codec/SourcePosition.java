package io.tidepool.api.codec;

/** A place in a manifest source, as editors count it: line and column both start at 1. */
public record SourcePosition(String source, int line, int column) {

    public static SourcePosition startOf(String source) {
        return new SourcePosition(source, 1, 1);
    }

    @Override
    public String toString() {
        return source + ":" + line + ":" + column;
    }
}
