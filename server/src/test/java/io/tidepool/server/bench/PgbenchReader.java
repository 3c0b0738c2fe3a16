package io.tidepool.server.bench;

import io.tidepool.postgres.PostgresBinaries;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * One select-only client of the switch benchmark, as pgbench itself: {@code pgbench -S} on one
 * connection, started again whenever it ends, as a pool reconnects (pgbench ends when its
 * connection breaks, which it does at the switch). Each run logs every transaction with the time
 * it completed, so the counts per second come from the log after the load has stopped.
 *
 * <p>Native clients keep the benchmark's own JIT out of the measurement: readers in this JVM had
 * C2 compile pgjdbc's error and reconnect paths in the very second after the switch, on the two
 * cores the new primary shares with them (0.3 to 0.7 of a core, measured with JFR).
 */
final class PgbenchReader implements Runnable {
    /** How long one pgbench run lasts when nothing breaks it; stopping waits for the run in progress. */
    private static final int RUN_SECONDS = 10;
    /** Between a run that failed and the next one: pacing reconnects, not waiting for a condition. */
    private static final long RETRY_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final List<String> command;
    private final Path logs;
    private final String name;
    private final AtomicBoolean stopped;
    private final AtomicLong brokenRuns = new AtomicLong();

    /**
     * @param address  postgresql://user@host:port/database
     * @param logs     where this reader's transaction logs go (one file per run)
     * @param stopped  set when the load stops: no run starts after it, the one in progress ends on its own
     */
    PgbenchReader(String address, Path logs, String name, AtomicBoolean stopped) throws IOException, InterruptedException {
        URI uri = URI.create(address);
        Path pgbench = PostgresBinaries.find("15").orElseThrow(() -> new IOException("Postgres 15 is not installed"))
                .bin().resolve("pgbench");
        this.command = List.of(pgbench.toString(), "-h", uri.getHost(), "-p", Integer.toString(uri.getPort()),
                "-U", uri.getUserInfo(), "-S", "-n", "-M", "prepared", "-c", "1", "-T", Integer.toString(RUN_SECONDS), "-l",
                uri.getPath().substring(1));
        this.logs = logs;
        this.name = name;
        this.stopped = stopped;
    }

    /** Runs that ended with an error: their connection broke or could not be made. */
    long brokenRuns() {
        return brokenRuns.get();
    }

    @Override
    public void run() {
        for (int run = 0; !stopped.get(); run++) {
            List<String> thisRun = new ArrayList<>(command);
            thisRun.add(thisRun.size() - 1, "--log-prefix=" + logs.resolve(name + "-" + run));
            try {
                Process process = new ProcessBuilder(thisRun).directory(logs.toFile()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (process.waitFor() != 0) {
                    brokenRuns.incrementAndGet();
                    LockSupport.parkNanos(RETRY_PAUSE_NANOS);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run pgbench", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Adds the transactions of every run to {@code counts}: each counts in the slot of
     * {@code slotMicros}, since {@code startedEpochMicros}, in which it completed.
     */
    void countInto(AtomicLongArray counts, long slotMicros, long startedEpochMicros) throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(logs)) {
            files = listed.filter(file -> file.getFileName().toString().startsWith(name + "-")).toList();
        }
        for (Path file : files) {
            try (BufferedReader lines = Files.newBufferedReader(file)) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    // client_id transaction_no time script_no time_epoch time_us
                    String[] fields = line.split(" ");
                    long completed = Long.parseLong(fields[4]) * 1_000_000 + Long.parseLong(fields[5]);
                    long slot = (completed - startedEpochMicros) / slotMicros;
                    if (slot >= 0 && slot < counts.length()) {
                        counts.incrementAndGet((int) slot);
                    }
                }
            }
        }
    }
}
