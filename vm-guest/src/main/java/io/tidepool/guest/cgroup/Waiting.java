package io.tidepool.guest.cgroup;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** Waiting for the kernel to finish what a cgroup write began (a freeze completes asynchronously). */
final class Waiting {
    /** A freeze under load took up to 12 ms on this kind of machine; far beyond that something is wrong. */
    static final Duration LIMIT = Duration.ofSeconds(2);
    private static final long POLL_NANOS = 50_000;

    private Waiting() {
    }

    @FunctionalInterface
    interface Check {
        boolean done() throws IOException;
    }

    static void until(Check check, String what) throws IOException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!check.done()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException(what + " did not complete within " + LIMIT.toMillis() + " ms");
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }
}
