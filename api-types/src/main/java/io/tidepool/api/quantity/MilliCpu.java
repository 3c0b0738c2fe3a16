package io.tidepool.api.quantity;

import java.math.BigDecimal;

/** CPU in thousandths of a vCPU; written as {@code 16}, {@code 0.5} or {@code 500m}. */
public record MilliCpu(long millis) implements Comparable<MilliCpu> {
    private static final int MAX_TEXT_LENGTH = 40;

    public MilliCpu {
        if (millis < 0) {
            throw new IllegalArgumentException("CPU cannot be negative: " + millis + "m");
        }
    }

    public static MilliCpu ofCpus(long cpus) {
        return new MilliCpu(Math.multiplyExact(cpus, 1000));
    }

    public static MilliCpu parse(String text) {
        String trimmed = text.trim();
        // BigDecimal parsing is quadratic in the digit count: refuse absurd texts before trying.
        if (trimmed.length() > MAX_TEXT_LENGTH || trimmed.startsWith("-")) {
            throw new IllegalArgumentException(expected(text));
        }
        try {
            if (trimmed.endsWith("m")) {
                return new MilliCpu(Long.parseLong(trimmed.substring(0, trimmed.length() - 1)));
            }
            BigDecimal millis = new BigDecimal(trimmed).multiply(BigDecimal.valueOf(1000));
            return new MilliCpu(millis.longValueExact());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(expected(text));
        }
    }

    private static String expected(String text) {
        return "expected CPUs as a number (16, 0.5) or millicpus (500m), got \"" + text + "\"";
    }

    @Override
    public int compareTo(MilliCpu other) {
        return Long.compare(millis, other.millis);
    }

    @Override
    public String toString() {
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
    }
}
