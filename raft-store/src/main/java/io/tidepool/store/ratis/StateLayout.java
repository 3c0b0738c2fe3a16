package io.tidepool.store.ratis;

import io.tidepool.store.KeyValue;
import io.tidepool.store.WatchEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the store lies in RocksDB, one column family split by a one-byte prefix:
 * <ul>
 *   <li>{@code 'k' + utf8(key)} → the key's revisions and value (the current state);</li>
 *   <li>{@code 'c' + revision (8 bytes, big-endian)} → every event of that revision (the change log
 *       that watches replay; compaction deletes a range of it);</li>
 *   <li>{@code 'm' + name} → metadata: the current revision, the first watchable revision and the
 *       Raft (term, index) last applied.</li>
 * </ul>
 * Big-endian revisions sort numerically under RocksDB's bytewise order, and UTF-8 keys sort by code
 * point, which is {@link io.tidepool.store.KeyOrder}.
 */
final class StateLayout {
    static final byte KEY_PREFIX = 'k';
    static final byte CHANGE_PREFIX = 'c';
    static final byte[] REVISION = meta("revision");
    static final byte[] FIRST_WATCHABLE = meta("first-watchable");
    static final byte[] APPLIED = meta("applied");

    private static final int RECORD_FORMAT = 1;
    private static final int PUT = 1;
    private static final int DELETE = 2;

    private StateLayout() {
    }

    static byte[] keyOf(String key) {
        return prefixed(KEY_PREFIX, key.getBytes(StandardCharsets.UTF_8));
    }

    static String keyFrom(byte[] dbKey) {
        return new String(dbKey, 1, dbKey.length - 1, StandardCharsets.UTF_8);
    }

    static byte[] changeKey(long revision) {
        return new BinaryWriter(9).writeByte(CHANGE_PREFIX).writeLong(revision).toByteArray();
    }

    static long revisionFrom(byte[] changeKey) {
        return new BinaryReader(changeKey, 1).readLong();
    }

    static byte[] prefixed(byte prefix, byte[] bytes) {
        byte[] result = new byte[bytes.length + 1];
        result[0] = prefix;
        System.arraycopy(bytes, 0, result, 1, bytes.length);
        return result;
    }

    /** The value stored under a key: format, create revision, mod revision, version, then the raw value. */
    static byte[] encodeValue(KeyValue kv) {
        return new BinaryWriter(25 + kv.value().length).writeByte(RECORD_FORMAT).writeLong(kv.createRevision())
                .writeLong(kv.modRevision()).writeLong(kv.version()).writeRaw(kv.value()).toByteArray();
    }

    static KeyValue decodeValue(String key, byte[] stored) {
        BinaryReader in = new BinaryReader(stored);
        checkFormat(in.readByte());
        long create = in.readLong();
        long mod = in.readLong();
        long version = in.readLong();
        return new KeyValue(key, Arrays.copyOfRange(stored, 25, stored.length), create, mod, version);
    }

    /** The change record of one revision; the events' mod revision is that revision, so it is not stored. */
    static byte[] encodeChanges(List<WatchEvent> events) {
        BinaryWriter out = new BinaryWriter(64).writeByte(RECORD_FORMAT).writeInt(events.size());
        for (WatchEvent event : events) {
            KeyValue kv = event.kv();
            out.writeByte(event.type() == WatchEvent.Type.PUT ? PUT : DELETE).writeString(kv.key())
                    .writeLong(kv.createRevision()).writeLong(kv.version()).writeBytes(kv.value());
        }
        return out.toByteArray();
    }

    static List<WatchEvent> decodeChanges(long revision, byte[] stored) {
        BinaryReader in = new BinaryReader(stored);
        checkFormat(in.readByte());
        int count = in.readCount();
        List<WatchEvent> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            WatchEvent.Type type = in.readByte() == PUT ? WatchEvent.Type.PUT : WatchEvent.Type.DELETE;
            String key = in.readString();
            long create = in.readLong();
            long version = in.readLong();
            events.add(new WatchEvent(type, new KeyValue(key, in.readBytes(), create, revision, version)));
        }
        return events;
    }

    static byte[] encodeLong(long value) {
        return new BinaryWriter(8).writeLong(value).toByteArray();
    }

    static long decodeLong(byte[] stored, long absent) {
        return stored == null ? absent : new BinaryReader(stored).readLong();
    }

    static byte[] encodeApplied(long term, long index) {
        return new BinaryWriter(16).writeLong(term).writeLong(index).toByteArray();
    }

    private static byte[] meta(String name) {
        return prefixed((byte) 'm', name.getBytes(StandardCharsets.UTF_8));
    }

    private static void checkFormat(int format) {
        if (format != RECORD_FORMAT) {
            throw new IllegalStateException("stored record has unknown format " + format);
        }
    }
}
