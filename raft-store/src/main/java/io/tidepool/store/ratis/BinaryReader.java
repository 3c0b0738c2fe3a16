package io.tidepool.store.ratis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BinaryWriter} wrote; malformed input throws {@link IllegalArgumentException}.
 * Reads straight from the buffer it is given (a log entry's bytes need no copy first): only the
 * byte arrays and strings it returns are copies.
 */
final class BinaryReader {
    private final ByteBuffer buffer;
    private final int limit;
    private int position;

    BinaryReader(byte[] buffer) {
        this(buffer, 0);
    }

    BinaryReader(byte[] buffer, int offset) {
        this(ByteBuffer.wrap(buffer), offset, buffer.length);
    }

    /** Reads {@code buffer} from its position to its limit; the buffer's own position is left alone. */
    BinaryReader(ByteBuffer buffer) {
        this(buffer, buffer.position(), buffer.limit());
    }

    private BinaryReader(ByteBuffer buffer, int position, int limit) {
        // Absolute reads are big-endian whatever order the buffer was handed over in.
        this.buffer = buffer.order() == java.nio.ByteOrder.BIG_ENDIAN ? buffer
                : buffer.duplicate().order(java.nio.ByteOrder.BIG_ENDIAN);
        this.position = position;
        this.limit = limit;
    }

    int readByte() {
        require(1);
        return buffer.get(position++);
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
        int value = buffer.getInt(position);
        position += 4;
        return value;
    }

    long readLong() {
        require(8);
        long value = buffer.getLong(position);
        position += 8;
        return value;
    }

    byte[] readBytes() {
        int length = readLength();
        if (length == -1) {
            return null;
        }
        byte[] value = new byte[length];
        buffer.get(position, value);
        position += length;
        return value;
    }

    String readString() {
        int length = readLength();
        if (length == -1) {
            return null;
        }
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + position, length, StandardCharsets.UTF_8);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(position, bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        position += length;
        return value;
    }

    /**
     * A reader of the next length-prefixed field ({@link BinaryWriter#writeBytes}) in place, without
     * copying it; null when the field was written as null.
     */
    BinaryReader readNested() {
        int length = readLength();
        if (length == -1) {
            return null;
        }
        BinaryReader nested = new BinaryReader(buffer, position, position + length);
        position += length;
        return nested;
    }

    /** Counts that size collections must be plausible for the bytes left, so garbage cannot allocate much. */
    int readCount() {
        int count = readInt();
        if (count < 0 || count > limit - position) {
            throw new IllegalArgumentException("malformed count " + count);
        }
        return count;
    }

    void expectEnd() {
        if (position != limit) {
            throw new IllegalArgumentException("malformed: " + (limit - position) + " trailing bytes");
        }
    }

    private int readLength() {
        int length = readInt();
        if (length == -1) {
            return -1;
        }
        if (length < 0) {
            throw new IllegalArgumentException("malformed length " + length);
        }
        require(length);
        return length;
    }

    private void require(int bytes) {
        if (bytes > limit - position) {
            throw new IllegalArgumentException("malformed: truncated after " + position + " bytes");
        }
    }
}
