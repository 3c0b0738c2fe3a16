package io.tidepool.api.quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Compute units: 1 CU = 1 vCPU + 4 GiB. Sizes move in quarter steps, so a CU is held as an exact
 * count of quarter steps; never as a double, which could not represent a sum of grants exactly.
 */
public record Cu(long quarters) implements Comparable<Cu> {
    public static final Cu ZERO = new Cu(0);
    public static final Cu QUARTER = new Cu(1);
    public static final long MEMORY_BYTES_PER_CU = 4L << 30;
    public static final long MILLICPU_PER_CU = 1000;
    private static final int MAX_TEXT_LENGTH = 40;

    public Cu {
        if (quarters < 0) {
            throw new IllegalArgumentException("CU cannot be negative: " + quarters + " quarter steps");
        }
    }

    public static Cu ofQuarters(long quarters) {
        return new Cu(quarters);
    }

    public static Cu ofWhole(long cu) {
        return new Cu(Math.multiplyExact(cu, 4));
    }

    /** Parses a decimal such as {@code 0.25}, {@code 1}, {@code 2.5}; it must be a multiple of 0.25. */
    public static Cu parse(String text) {
        String trimmed = text.trim();
        // BigDecimal parsing is quadratic in the digit count: refuse absurd texts before trying.
        if (trimmed.length() > MAX_TEXT_LENGTH) {
            throw new IllegalArgumentException("expected a number of CU in steps of 0.25 (like 0.25, 1, 2.5), got "
                    + trimmed.length() + " characters");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(trimmed);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number of CU in steps of 0.25 (like 0.25, 1, 2.5), got \"" + text + "\"");
        }
        return of(value);
    }

    public static Cu of(BigDecimal value) {
        // toPlainString of 1e999999999 would be a billion digits: extreme exponents are shown as written.
        String shown = Math.abs(value.scale()) <= 20 ? value.toPlainString() : value.toString();
        if (value.signum() < 0) {
            throw new IllegalArgumentException("expected a CU of at least 0, got " + shown);
        }
        if (value.precision() - value.scale() > 19) {
            throw new IllegalArgumentException("CU value too large: " + shown);
        }
        BigDecimal quarters = value.multiply(BigDecimal.valueOf(4));
        if (quarters.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("expected a multiple of 0.25 CU, got " + shown);
        }
        try {
            return new Cu(quarters.longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("CU value too large: " + shown);
        }
    }

    /** The largest whole number of quarter steps that the given CPU and memory can both hold. */
    public static Cu fitting(MilliCpu cpu, Bytes memory) {
        long cpuQuarters = cpu.millis() / (MILLICPU_PER_CU / 4);
        long memoryQuarters = memory.value() / (MEMORY_BYTES_PER_CU / 4);
        return new Cu(Math.min(cpuQuarters, memoryQuarters));
    }

    public BigDecimal toDecimal() {
        return BigDecimal.valueOf(quarters).divide(BigDecimal.valueOf(4), 2, RoundingMode.UNNECESSARY).stripTrailingZeros();
    }

    public Cu plus(Cu other) {
        return new Cu(Math.addExact(quarters, other.quarters));
    }

    public Cu minus(Cu other) {
        return new Cu(Math.subtractExact(quarters, other.quarters));
    }

    public Cu min(Cu other) {
        return quarters <= other.quarters ? this : other;
    }

    public Cu max(Cu other) {
        return quarters >= other.quarters ? this : other;
    }

    public boolean isZero() {
        return quarters == 0;
    }

    public MilliCpu cpu() {
        return new MilliCpu(quarters * (MILLICPU_PER_CU / 4));
    }

    public Bytes memory() {
        return new Bytes(quarters * (MEMORY_BYTES_PER_CU / 4));
    }

    @Override
    public int compareTo(Cu other) {
        return Long.compare(quarters, other.quarters);
    }

    @Override
    public String toString() {
        return toDecimal().toPlainString();
    }
}
