package io.tidepool.store.ratis;

import io.tidepool.store.Compare;
import io.tidepool.store.Op;
import io.tidepool.store.Txn;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire format of commands and queries: a format version byte, a type byte, then big-endian
 * fields. Enum constants travel as fixed codes, never ordinals, so reordering an enum cannot change
 * what an old log entry means. Bump {@link #FORMAT} and keep decoding the old one when it changes.
 */
final class CommandCodec {
    static final int FORMAT = 1;

    private static final int WRITE = 1;
    private static final int COMPACT = 2;
    private static final int BATCH = 3;
    private static final int GET = 11;
    private static final int RANGE = 12;
    private static final int REVISIONS = 13;
    private static final int PUT = 1;
    private static final int DELETE = 2;

    private CommandCodec() {
    }

    static byte[] encode(Command command) {
        BinaryWriter out = new BinaryWriter(64);
        out.writeByte(FORMAT);
        if (command instanceof Command.Write write) {
            out.writeByte(WRITE);
            writeTxn(out, write.txn());
        } else if (command instanceof Command.Batch batch) {
            return encodeBatch(batch.txns().stream().map(CommandCodec::encodeTxn).toList());
        } else if (command instanceof Command.Compact compact) {
            out.writeByte(COMPACT).writeLong(compact.revision());
        }
        return out.toByteArray();
    }

    /** A transaction's fields alone, for {@link #encodeWrite} or {@link #encodeBatch} to frame. */
    static byte[] encodeTxn(Txn txn) {
        BinaryWriter out = new BinaryWriter(64);
        writeTxn(out, txn);
        return out.toByteArray();
    }

    /** The {@link Command.Write} of one transaction encoded by {@link #encodeTxn}. */
    static byte[] encodeWrite(byte[] txn) {
        return new BinaryWriter(txn.length + 2).writeByte(FORMAT).writeByte(WRITE).writeRaw(txn).toByteArray();
    }

    /** The {@link Command.Batch} of transactions encoded by {@link #encodeTxn}. */
    static byte[] encodeBatch(List<byte[]> txns) {
        int size = 6;
        for (byte[] txn : txns) {
            size += 4 + txn.length;
        }
        BinaryWriter out = new BinaryWriter(size).writeByte(FORMAT).writeByte(BATCH).writeInt(txns.size());
        for (byte[] txn : txns) {
            out.writeBytes(txn);
        }
        return out.toByteArray();
    }

    static Command decodeCommand(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        Command command = switch (type) {
            case WRITE -> new Command.Write(readTxn(in));
            case COMPACT -> new Command.Compact(in.readLong());
            case BATCH -> readBatch(in);
            default -> throw new IllegalArgumentException("unknown command type " + type);
        };
        in.expectEnd();
        return command;
    }

    static byte[] encode(Query query) {
        BinaryWriter out = new BinaryWriter(32);
        out.writeByte(FORMAT);
        if (query instanceof Query.Get get) {
            out.writeByte(GET).writeString(get.key());
        } else if (query instanceof Query.Range range) {
            out.writeByte(RANGE).writeString(range.prefix()).writeString(range.startAfter()).writeInt(range.limit());
        } else if (query instanceof Query.Revisions) {
            out.writeByte(REVISIONS);
        }
        return out.toByteArray();
    }

    static Query decodeQuery(byte[] bytes) {
        BinaryReader in = open(bytes);
        int type = in.readByte();
        Query query = switch (type) {
            case GET -> new Query.Get(in.readString());
            case RANGE -> new Query.Range(in.readString(), in.readString(), in.readInt());
            case REVISIONS -> new Query.Revisions();
            default -> throw new IllegalArgumentException("unknown query type " + type);
        };
        in.expectEnd();
        return query;
    }

    private static BinaryReader open(byte[] bytes) {
        BinaryReader in = new BinaryReader(bytes);
        int format = in.readByte();
        if (format != FORMAT) {
            throw new IllegalArgumentException("unknown format " + format + "; this node reads format " + FORMAT);
        }
        return in;
    }

    private static Command.Batch readBatch(BinaryReader in) {
        int count = in.readCount();
        List<Txn> txns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] bytes = in.readBytes();
            if (bytes == null) {
                throw new IllegalArgumentException("malformed batch: a missing transaction");
            }
            BinaryReader txn = new BinaryReader(bytes);
            txns.add(readTxn(txn));
            txn.expectEnd();
        }
        return new Command.Batch(txns);
    }

    private static void writeTxn(BinaryWriter out, Txn txn) {
        out.writeInt(txn.compares().size());
        for (Compare compare : txn.compares()) {
            out.writeString(compare.key()).writeByte(targetCode(compare.target()))
                    .writeByte(operatorCode(compare.operator())).writeLong(compare.value());
        }
        writeOps(out, txn.success());
        writeOps(out, txn.failure());
    }

    private static Txn readTxn(BinaryReader in) {
        int compareCount = in.readCount();
        List<Compare> compares = new ArrayList<>(compareCount);
        for (int i = 0; i < compareCount; i++) {
            compares.add(new Compare(in.readString(), target(in.readByte()), operator(in.readByte()), in.readLong()));
        }
        return new Txn(compares, readOps(in), readOps(in));
    }

    private static void writeOps(BinaryWriter out, List<Op> ops) {
        out.writeInt(ops.size());
        for (Op op : ops) {
            if (op instanceof Op.Put put) {
                out.writeByte(PUT).writeString(put.key()).writeBytes(put.value());
            } else {
                out.writeByte(DELETE).writeString(op.key());
            }
        }
    }

    private static List<Op> readOps(BinaryReader in) {
        int count = in.readCount();
        List<Op> ops = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int type = in.readByte();
            ops.add(switch (type) {
                case PUT -> new Op.Put(in.readString(), in.readBytes());
                case DELETE -> new Op.Delete(in.readString());
                default -> throw new IllegalArgumentException("unknown op type " + type);
            });
        }
        return ops;
    }

    private static int targetCode(Compare.Target target) {
        return switch (target) {
            case CREATE_REVISION -> 1;
            case MOD_REVISION -> 2;
            case VERSION -> 3;
        };
    }

    private static Compare.Target target(int code) {
        return switch (code) {
            case 1 -> Compare.Target.CREATE_REVISION;
            case 2 -> Compare.Target.MOD_REVISION;
            case 3 -> Compare.Target.VERSION;
            default -> throw new IllegalArgumentException("unknown compare target " + code);
        };
    }

    private static int operatorCode(Compare.Operator operator) {
        return switch (operator) {
            case EQUAL -> 1;
            case NOT_EQUAL -> 2;
            case LESS -> 3;
            case GREATER -> 4;
        };
    }

    private static Compare.Operator operator(int code) {
        return switch (code) {
            case 1 -> Compare.Operator.EQUAL;
            case 2 -> Compare.Operator.NOT_EQUAL;
            case 3 -> Compare.Operator.LESS;
            case 4 -> Compare.Operator.GREATER;
            default -> throw new IllegalArgumentException("unknown compare operator " + code);
        };
    }
}
