package io.tidepool.store.ratis;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Appends big-endian fields to a growing byte array; the building block of the store's codecs. */
final class BinaryWriter {
    private byte[] buffer;
    private int size;

    BinaryWriter(int initialCapacity) {
        buffer = new byte[Math.max(16, initialCapacity)];
    }

    BinaryWriter writeByte(int value) {
        ensure(1);
        buffer[size++] = (byte) value;
        return this;
    }

    BinaryWriter writeBoolean(boolean value) {
        return writeByte(value ? 1 : 0);
    }

    BinaryWriter writeInt(int value) {
        ensure(4);
        for (int shift = 24; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    BinaryWriter writeLong(long value) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buffer[size++] = (byte) (value >>> shift);
        }
        return this;
    }

    /** Length-prefixed; null is written as length -1. */
    BinaryWriter writeBytes(byte[] value) {
        if (value == null) {
            return writeInt(-1);
        }
        writeInt(value.length);
        return writeRaw(value);
    }

    /** Length-prefixed UTF-8; null is written as length -1. */
    BinaryWriter writeString(String value) {
        return writeBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    BinaryWriter writeRaw(byte[] value) {
        ensure(value.length);
        System.arraycopy(value, 0, buffer, size, value.length);
        size += value.length;
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
        }
    }
}
