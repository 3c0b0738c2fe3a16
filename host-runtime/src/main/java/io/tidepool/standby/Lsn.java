package io.tidepool.standby;

/** A position in the write-ahead log, as Postgres prints it ({@code 16/B374D848}). */
public record Lsn(long value) implements Comparable<Lsn> {

    public static Lsn parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("\"" + text + "\" is not a WAL position (HIGH/LOW in hex)");
        }
        try {
            return new Lsn((Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1).trim(), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not a WAL position (HIGH/LOW in hex)", e);
        }
    }

    @Override
    public int compareTo(Lsn other) {
        return Long.compareUnsigned(value, other.value);
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase() + "/" + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase();
    }
}
