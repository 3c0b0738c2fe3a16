package io.tidepool.server.hosts;

import io.tidepool.postgres.PostgresBinaries;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Postgres 15's pgbench against an endpoint's address (a {@code postgresql://user@host:port/db}
 * URI), run as a child process outside the compute's cgroup: only the backends serving it count
 * towards the compute's load. {@link #close} stops it.
 */
final class Pgbench implements AutoCloseable {
    private static final Duration STOP = Duration.ofSeconds(10);

    private final Process process;
    private final Path log;

    private Pgbench(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Makes pgbench's tables at {@code scale} (100,000 accounts each) and waits for it. */
    static void initialise(String address, int scale, Path log, Duration timeout) throws Exception {
        try (Pgbench init = start(address, log, "-i", "-q", "-s", Integer.toString(scale))) {
            if (!init.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("pgbench -i did not finish in " + timeout + ": " + init.output());
            }
            if (init.process.exitValue() != 0) {
                throw new AssertionError("pgbench -i failed: " + init.output());
            }
        }
    }

    /** Starts {@code clients} sessions running pgbench's read-only transaction for at most {@code duration}. */
    static Pgbench selectOnly(String address, int clients, Duration duration, Path log) throws IOException {
        return start(address, log, "-S", "-n", "-c", Integer.toString(clients), "-j", "2",
                "-T", Long.toString(duration.toSeconds()));
    }

    /** Starts {@code clients} sessions running pgbench's writing (TPC-B like) transaction for at most {@code duration}. */
    static Pgbench writing(String address, int clients, Duration duration, Path log) throws IOException {
        return start(address, log, "-n", "-c", Integer.toString(clients), "-j", "2", "-T", Long.toString(duration.toSeconds()));
    }

    /** Starts pgbench with these options against the address, its output going to {@code log}. */
    static Pgbench run(String address, Path log, String... options) throws IOException {
        return start(address, log, options);
    }

    private static Pgbench start(String address, Path log, String... options) throws IOException {
        URI uri = URI.create(address);
        List<String> command = new ArrayList<>(List.of(pgbench().toString(), "-h", uri.getHost(),
                "-p", Integer.toString(uri.getPort()), "-U", uri.getUserInfo()));
        command.addAll(List.of(options));
        command.add(uri.getPath().substring(1));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Pgbench(process, log);
    }

    private static Path pgbench() throws IOException {
        try {
            return PostgresBinaries.find("15").orElseThrow(() -> new IOException("Postgres 15 is not installed"))
                    .bin().resolve("pgbench");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while looking for pgbench", e);
        }
    }

    /** pgbench's exit status once it ends by itself; stopped, and a failure, if it runs past {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            close();
            throw new IllegalStateException("pgbench ran past " + timeout + ": " + output());
        }
        return process.exitValue();
    }

    boolean running() {
        return process.isAlive();
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(" + log + " cannot be read: " + e.getMessage() + ")";
        }
    }

    /** Stops pgbench (its backends end with their connections), forcibly if it does not stop in time. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
