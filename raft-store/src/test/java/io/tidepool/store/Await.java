package io.tidepool.store;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a deadline; tests never sleep for a fixed time. */
public final class Await {
    private static final long CHECK_INTERVAL_NANOS = Duration.ofMillis(5).toNanos();

    private Await() {
    }

    /** Returns once {@code condition} holds; fails with {@code what} when {@code timeout} passes first. */
    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what, last);
            }
            LockSupport.parkNanos(CHECK_INTERVAL_NANOS);
        }
    }

    /** The first non-null value {@code supplier} gives before {@code timeout}. */
    public static <T> T value(Duration timeout, String what, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        until(timeout, what, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }
}
