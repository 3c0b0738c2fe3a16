package io.tidepool.reconcile;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an informer current on a daemon thread of its own, so that its handlers run the moment a
 * change arrives: it pumps the informer until closed, and a pump that fails (the store unreachable
 * for a moment) is logged and tried again after a pause. Closing stops the thread, then closes the
 * informer.
 */
public final class InformerThread implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InformerThread.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Informer<?> informer;
    private final String purpose;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    /** @param purpose what the informer is followed for, for the log: "for their psql lines" */
    public InformerThread(Informer<?> informer, String threadName, String purpose) {
        this.informer = informer;
        this.purpose = purpose;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        while (closed.getCount() > 0) {
            try {
                informer.pump(POLL);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (closed.getCount() == 0) {
                    return;
                }
                log.warn("cannot follow the {} {}; again in {} s: {}", informer.kind().plural(), purpose,
                        RETRY.toSeconds(), e.toString());
                try {
                    closed.await(RETRY.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException stopped) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        closed.countDown();
        thread.interrupt();
        try {
            thread.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        informer.close();
    }
}
