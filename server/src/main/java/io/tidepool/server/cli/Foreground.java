package io.tidepool.server.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/** Keeps what a verb started running until the process is told to stop (Ctrl-C, SIGTERM). */
final class Foreground {
    private Foreground() {
    }

    /**
     * Runs {@code afterStart}, then waits for the process to be stopped, which runs {@code stop}
     * once; if {@code afterStart} fails, {@code stop} runs at once.
     */
    static void runUntilStopped(Runnable stop, Runnable afterStart) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean once = new AtomicBoolean();
        Runnable stopOnce = () -> {
            if (once.compareAndSet(false, true)) {
                stop.run();
            }
            stopped.countDown();
        };
        Runtime.getRuntime().addShutdownHook(new Thread(stopOnce, "tidepool-shutdown"));
        try {
            afterStart.run();
        } catch (RuntimeException e) {
            stopOnce.run();
            throw e;
        }
        stopped.await();
    }
}
