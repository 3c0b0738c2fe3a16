package io.tidepool.store.ratis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link BinaryWriter} wrote; malformed input throws {@link IllegalArgumentException}. */
final class BinaryReader {
    private final byte[] buffer;
    private int position;

    BinaryReader(byte[] buffer) {
        this(buffer, 0);
    }

    BinaryReader(byte[] buffer, int offset) {
        this.buffer = buffer;
        this.position = offset;
    }

    int readByte() {
        require(1);
        return buffer[position++];
    }

    boolean readBoolean() {
        int value = readByte();
        if (value != 0 && value != 1) {
            throw new IllegalArgumentException("malformed boolean " + value);
        }
        return value == 1;
    }

    int readInt() {
        require(4);
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    long readLong() {
        require(8);
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buffer[position++] & 0xFF);
        }
        return value;
    }

    byte[] readBytes() {
        int length = readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IllegalArgumentException("malformed length " + length);
        }
        require(length);
        byte[] value = Arrays.copyOfRange(buffer, position, position + length);
        position += length;
        return value;
    }

    String readString() {
        byte[] bytes = readBytes();
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Counts that size collections must be plausible for the bytes left, so garbage cannot allocate much. */
    int readCount() {
        int count = readInt();
        if (count < 0 || count > buffer.length - position) {
            throw new IllegalArgumentException("malformed count " + count);
        }
        return count;
    }

    void expectEnd() {
        if (position != buffer.length) {
            throw new IllegalArgumentException("malformed: " + (buffer.length - position) + " trailing bytes");
        }
    }

    private void require(int bytes) {
        if (bytes > buffer.length - position) {
            throw new IllegalArgumentException("malformed: truncated after " + position + " bytes");
        }
    }
}
