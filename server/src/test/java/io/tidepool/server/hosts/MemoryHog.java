package io.tidepool.server.hosts;

import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.store.Await;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process started inside a compute's cgroup that allocates memory, touches every page of it and
 * holds it until closed: anonymous memory charged to the compute, which no smaller limit can
 * reclaim, as a tenant's session holding a big allocation would.
 */
final class MemoryHog implements AutoCloseable {
    /** vec() grows a fresh string in place and zeroes the new bytes: every page touched, nothing copied. */
    private static final String HOLD = "my $s = ''; vec($s, $ARGV[0] * 1048576 * 8 - 1, 1) = 1; <STDIN>;";
    private static final Duration STOP = Duration.ofSeconds(10);

    private final Process process;

    private MemoryHog(Process process) {
        this.process = process;
    }

    /**
     * Starts the hog in {@code cgroup} and returns once the cgroup holds at least
     * {@code mebibytes} it could not reclaim.
     */
    static MemoryHog holding(ComputeCgroup cgroup, long mebibytes, Duration timeout) throws IOException {
        Process process = new ProcessBuilder(cgroup.joiningCommand(List.of("perl", "-e", HOLD, Long.toString(mebibytes))))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        MemoryHog hog = new MemoryHog(process);
        try {
            Await.until(timeout, mebibytes + " MiB held in " + cgroup.name(), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("the memory hog exited with " + process.exitValue());
                }
                try {
                    return cgroup.memoryBreakdown().unreclaimable() >= mebibytes << 20;
                } catch (IOException e) {
                    return false;
                }
            });
            return hog;
        } catch (RuntimeException | Error e) {
            hog.close();
            throw e;
        }
    }

    /** Ends the hog (its memory goes with it) and waits until it has exited. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
