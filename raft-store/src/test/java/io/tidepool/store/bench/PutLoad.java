package io.tidepool.store.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * N writer threads, each doing blocking puts of fresh random values to {@code bench/<thread>/<i % 1000>}
 * for a warm-up and then a measured window. Only operations that complete inside the window count;
 * each one's latency (call to acknowledgment) is recorded.
 */
final class PutLoad {
    static final int KEYS_PER_WRITER = 1000;

    /** What one measured window gave. */
    record Result(long ops, long errors, double seconds, Histogram latencyNanos, double serverCpuSeconds,
                  double clientCpuSeconds) {
        double opsPerSecond() {
            return ops / seconds;
        }

        double percentileMillis(double percentile) {
            return latencyNanos.getValueAtPercentile(percentile) / 1e6;
        }

        double maxMillis() {
            return latencyNanos.getMaxValue() / 1e6;
        }
    }

    private PutLoad() {
    }

    static Result run(PutTarget target, int writers, int valueBytes, Duration warmUp, Duration window,
                      List<Long> serverPids) throws InterruptedException {
        long start = System.nanoTime();
        long windowStart = start + warmUp.toNanos();
        long windowEnd = windowStart + window.toNanos();
        List<Writer> threads = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            Writer writer = new Writer(target, i, valueBytes, windowStart, windowEnd);
            threads.add(writer);
            writer.start();
        }
        sleepUntil(windowStart);
        double serverCpu = ProcessCpu.seconds(serverPids);
        double clientCpu = ProcessCpu.selfSeconds();
        sleepUntil(windowEnd);
        serverCpu = ProcessCpu.seconds(serverPids) - serverCpu;
        clientCpu = ProcessCpu.selfSeconds() - clientCpu;
        Histogram all = new Histogram(3);
        long ops = 0;
        long errors = 0;
        for (Writer writer : threads) {
            writer.join();
            all.add(writer.latencies);
            ops += writer.ops;
            errors += writer.errors;
        }
        Throwable failure = threads.stream().map(w -> w.firstError.get()).filter(e -> e != null).findFirst()
                .orElse(null);
        if (failure != null) {
            System.err.println(target.name() + ": " + errors + " puts failed, the first with " + failure);
        }
        return new Result(ops, errors, window.toNanos() / 1e9, all, serverCpu, clientCpu);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static final class Writer extends Thread {
        private final PutTarget target;
        private final int id;
        private final int valueBytes;
        private final long windowStart;
        private final long windowEnd;
        private final Histogram latencies = new Histogram(3);
        private final AtomicReference<Throwable> firstError = new AtomicReference<>();
        private long ops;
        private long errors;

        Writer(PutTarget target, int id, int valueBytes, long windowStart, long windowEnd) {
            super("bench-writer-" + id);
            this.target = target;
            this.id = id;
            this.valueBytes = valueBytes;
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
            setDaemon(true);
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (long i = 0; ; i++) {
                byte[] value = new byte[valueBytes];
                random.nextBytes(value);
                String key = "bench/" + id + "/" + (i % KEYS_PER_WRITER);
                long begin = System.nanoTime();
                if (begin >= windowEnd) {
                    return;
                }
                boolean ok;
                try {
                    target.put(key, value);
                    ok = true;
                } catch (Exception e) {
                    firstError.compareAndSet(null, e);
                    ok = false;
                }
                long end = System.nanoTime();
                if (end >= windowStart && end < windowEnd) {
                    if (ok) {
                        ops++;
                        latencies.recordValue(end - begin);
                    } else {
                        errors++;
                    }
                }
            }
        }
    }
}
