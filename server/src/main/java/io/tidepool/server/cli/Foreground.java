package io.tidepool.server.cli;

import io.tidepool.server.ControlPlane;
import java.util.concurrent.CountDownLatch;

/** Keeps a started control plane running until the process is told to stop (Ctrl-C, SIGTERM). */
final class Foreground {
    private Foreground() {
    }

    static void runUntilStopped(ControlPlane plane, Runnable afterStart) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            stopped.countDown();
        }, "tidepool-shutdown"));
        afterStart.run();
        stopped.await();
    }
}
