package io.tidepool.store.ratis;

import io.tidepool.store.KeyValue;
import io.tidepool.store.RangeResult;
import io.tidepool.store.TxnResult;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The wire format of replicas' answers, versioned like {@link CommandCodec}. */
final class ReplyCodec {
    private static final int TXN = 1;
    private static final int COMPACT = 2;
    private static final int GET = 3;
    private static final int RANGE = 4;
    private static final int REVISIONS = 5;
    private static final int BATCH = 6;

    private ReplyCodec() {
    }

    static byte[] encode(TxnResult result) {
        return start(TXN, 16).writeBoolean(result.succeeded()).writeLong(result.revision()).toByteArray();
    }

    static TxnResult decodeTxn(byte[] bytes) {
        BinaryReader in = open(bytes, TXN);
        return new TxnResult(in.readBoolean(), in.readLong());
    }

    /** The results of a {@link Command.Batch}, in the order of its transactions. */
    static byte[] encodeBatch(List<TxnResult> results) {
        BinaryWriter out = start(BATCH, 6 + 9 * results.size()).writeInt(results.size());
        for (TxnResult result : results) {
            out.writeBoolean(result.succeeded()).writeLong(result.revision());
        }
        return out.toByteArray();
    }

    static List<TxnResult> decodeBatch(byte[] bytes) {
        BinaryReader in = open(bytes, BATCH);
        int count = in.readCount();
        List<TxnResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(new TxnResult(in.readBoolean(), in.readLong()));
        }
        return results;
    }

    static byte[] encode(CompactResult result) {
        return start(COMPACT, 16).writeBoolean(result.accepted()).writeLong(result.currentRevision()).toByteArray();
    }

    static CompactResult decodeCompact(byte[] bytes) {
        BinaryReader in = open(bytes, COMPACT);
        return new CompactResult(in.readBoolean(), in.readLong());
    }

    static byte[] encodeGet(Optional<KeyValue> kv) {
        BinaryWriter out = start(GET, 64).writeBoolean(kv.isPresent());
        kv.ifPresent(value -> writeKeyValue(out, value));
        return out.toByteArray();
    }

    static Optional<KeyValue> decodeGet(byte[] bytes) {
        BinaryReader in = open(bytes, GET);
        return in.readBoolean() ? Optional.of(readKeyValue(in)) : Optional.empty();
    }

    static byte[] encode(RangeResult result) {
        BinaryWriter out = start(RANGE, 256).writeLong(result.revision()).writeBoolean(result.more())
                .writeInt(result.items().size());
        result.items().forEach(kv -> writeKeyValue(out, kv));
        return out.toByteArray();
    }

    static RangeResult decodeRange(byte[] bytes) {
        BinaryReader in = open(bytes, RANGE);
        long revision = in.readLong();
        boolean more = in.readBoolean();
        int count = in.readCount();
        List<KeyValue> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(readKeyValue(in));
        }
        return new RangeResult(items, revision, more);
    }

    static byte[] encode(Revisions revisions) {
        return start(REVISIONS, 24).writeLong(revisions.current()).writeLong(revisions.firstWatchable()).toByteArray();
    }

    static Revisions decodeRevisions(byte[] bytes) {
        BinaryReader in = open(bytes, REVISIONS);
        return new Revisions(in.readLong(), in.readLong());
    }

    private static void writeKeyValue(BinaryWriter out, KeyValue kv) {
        out.writeString(kv.key()).writeBytes(kv.value()).writeLong(kv.createRevision()).writeLong(kv.modRevision())
                .writeLong(kv.version());
    }

    private static KeyValue readKeyValue(BinaryReader in) {
        return new KeyValue(in.readString(), in.readBytes(), in.readLong(), in.readLong(), in.readLong());
    }

    private static BinaryWriter start(int type, int capacity) {
        return new BinaryWriter(capacity).writeByte(CommandCodec.FORMAT).writeByte(type);
    }

    private static BinaryReader open(byte[] bytes, int expectedType) {
        BinaryReader in = new BinaryReader(bytes);
        int format = in.readByte();
        int type = in.readByte();
        if (format != CommandCodec.FORMAT || type != expectedType) {
            throw new IllegalArgumentException("unexpected reply format " + format + " type " + type
                    + ", expected type " + expectedType);
        }
        return in;
    }
}
