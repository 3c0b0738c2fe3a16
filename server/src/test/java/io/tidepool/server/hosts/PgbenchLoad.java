package io.tidepool.server.hosts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench kept running against an address through switches, as a tenant's application would be:
 * a switch ends pgbench's connections (its clients abort), so a new run starts through the same
 * address whenever one ends. Runs are short and end by themselves, so each prints its summary, and
 * the transactions pgbench counts as processed (acknowledged commits, for a writing script) add up.
 */
final class PgbenchLoad implements AutoCloseable {
    /** Each run's length: short, so that closing waits at most this for the last summary. */
    private static final Duration RUN = Duration.ofSeconds(4);
    /** Between a run that failed at once and the next: pacing a client's reconnects, not waiting for a condition. */
    private static final long RESTART_PAUSE_NANOS = Duration.ofMillis(100).toNanos();
    private static final int MAX_ERRORS_KEPT = 10;
    private static final Pattern PROCESSED = Pattern.compile("number of transactions actually processed: (\\d+)");

    /** pgbench's built-in scripts this load runs. */
    enum Script {
        SELECT_ONLY("-S"), SIMPLE_UPDATE("-N");

        private final String option;

        Script(String option) {
            this.option = option;
        }
    }

    private final String address;
    private final Script script;
    private final int clients;
    private final Path logs;
    private final AtomicLong processed = new AtomicLong();
    private final AtomicInteger runs = new AtomicInteger();
    private final AtomicInteger cutShort = new AtomicInteger();
    private final List<String> faults = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;

    private PgbenchLoad(String address, Script script, int clients, Path logs) {
        this.address = address;
        this.script = script;
        this.clients = clients;
        this.logs = logs;
        this.thread = new Thread(this::run, "pgbench-" + script.name().toLowerCase());
        thread.setDaemon(true);
    }

    static PgbenchLoad start(String address, Script script, int clients, Path logs) throws IOException {
        Files.createDirectories(logs);
        PgbenchLoad load = new PgbenchLoad(address, script, clients, logs);
        load.thread.start();
        return load;
    }

    /** Transactions pgbench reported processed, over every run that ended so far. */
    long processed() {
        return processed.get();
    }

    int runs() {
        return runs.get();
    }

    /** Runs whose clients lost their connections or failed to connect (a switch, or a hold refused). */
    int cutShort() {
        return cutShort.get();
    }

    private void run() {
        while (!closed) {
            Path log = logs.resolve(script.name().toLowerCase() + "-" + runs.incrementAndGet() + ".log");
            try (Pgbench pgbench = Pgbench.run(address, log, script.option, "-n", "-c", Integer.toString(clients),
                    "-j", "1", "-T", Long.toString(RUN.toSeconds()))) {
                int exit = pgbench.awaitExit(RUN.multipliedBy(3));
                String output = pgbench.output();
                Matcher found = PROCESSED.matcher(output);
                long count = found.find() ? Long.parseLong(found.group(1)) : 0;
                processed.addAndGet(count);
                if (exit != 0) {
                    cutShort.incrementAndGet();
                    keepErrors(output);
                    if (count == 0) {
                        LockSupport.parkNanos(RESTART_PAUSE_NANOS);
                    }
                }
            } catch (IOException | RuntimeException e) {
                synchronized (faults) {
                    faults.add(e.toString());
                }
                LockSupport.parkNanos(RESTART_PAUSE_NANOS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** What pgbench's clients were told when they failed, in a few distinct lines. */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    private void keepErrors(String output) {
        synchronized (errors) {
            for (String line : output.split("\n")) {
                String error = line.replaceAll("client \\d+", "client N").strip();
                if (error.contains("ERROR") || error.contains("FATAL") || error.contains("aborted")) {
                    if (errors.size() < MAX_ERRORS_KEPT && !errors.contains(error)) {
                        errors.add(error);
                    }
                }
            }
        }
    }

    /** Starts no run after the current one, without waiting for it: several loads then end together. */
    void stop() {
        closed = true;
    }

    /** Lets the current run end by itself, so its transactions are counted. */
    @Override
    public void close() throws InterruptedException {
        stop();
        thread.join(RUN.multipliedBy(4).toMillis());
    }

    @Override
    public String toString() {
        synchronized (faults) {
            return script + ": " + processed() + " transactions in " + runs() + " runs, " + cutShort() + " cut short"
                    + (faults.isEmpty() ? "" : ", faults " + faults) + (errors().isEmpty() ? "" : ", errors " + errors());
        }
    }
}
