package io.tidepool.api.quantity;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An amount of memory in bytes; written as {@code 512Mi}, {@code 64Gi}, {@code 1Ti} or plain bytes. */
public record Bytes(long value) implements Comparable<Bytes> {
    private static final Pattern TEXT = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?");
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi"};
    /** What people write when they mean a binary unit: {@code 64GB}, {@code 64gi}, {@code 1.5 Gi}. */
    private static final Pattern NEAR_MISS = Pattern.compile("([0-9]{1,20}(?:\\.[0-9]{1,20})?) ?([kmgtpKMGTP])[iI]?[bB]?");

    public Bytes {
        if (value < 0) {
            throw new IllegalArgumentException("memory cannot be negative: " + value + " bytes");
        }
    }

    public static Bytes ofGibibytes(long gib) {
        return new Bytes(Math.multiplyExact(gib, 1L << 30));
    }

    public static Bytes ofMebibytes(long mib) {
        return new Bytes(Math.multiplyExact(mib, 1L << 20));
    }

    public static Bytes parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "expected memory like 512Mi, 64Gi or a number of bytes, got \"" + text + "\""
                            + nearestValid(text).map(s -> "; did you mean " + s + "?").orElse(""));
        }
        try {
            return new Bytes(Math.multiplyExact(Long.parseLong(m.group(1)), multiplier(m.group(2))));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("memory value too large: \"" + text + "\"");
        }
    }

    /** The valid text a near miss most likely meant, read with binary units: 64GB is 64Gi, 1.5Gi is 1536Mi. */
    static Optional<String> nearestValid(String text) {
        Matcher m = NEAR_MISS.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        int power = "KMGTP".indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << (10 * power)));
        try {
            return Optional.of(new Bytes(bytes.longValueExact()).toString());
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    private static long multiplier(String suffix) {
        if (suffix == null) {
            return 1;
        }
        return switch (suffix) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "Pi" -> 1L << 50;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            case "P" -> 1_000_000_000_000_000L;
            default -> throw new IllegalArgumentException("unknown memory suffix " + suffix);
        };
    }

    public Bytes plus(Bytes other) {
        return new Bytes(Math.addExact(value, other.value));
    }

    @Override
    public int compareTo(Bytes other) {
        return Long.compare(value, other.value);
    }

    /** The largest binary unit that represents the value exactly, so that parse(toString()) is the identity. */
    @Override
    public String toString() {
        if (value == 0) {
            return "0";
        }
        long v = value;
        int unit = 0;
        while (unit < BINARY_SUFFIXES.length - 1 && v % 1024 == 0) {
            v /= 1024;
            unit++;
        }
        return v + BINARY_SUFFIXES[unit];
    }
}
