package io.tidepool.e2e;

import io.tidepool.store.Await;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** {@code ./tidepool up} as a child process, killed as hard as a crash would. */
final class UpProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();

    private UpProcess(Process process) {
        this.process = process;
    }

    /** @param options more of up's options, such as {@code --driver sim} */
    static UpProcess start(Launcher launcher, Path dataDir, int port, List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("up", "--data-dir", dataDir.toString(), "--port", Integer.toString(port)));
        command.addAll(options);
        Process process = launcher.command(command.toArray(String[]::new))
                .redirectErrorStream(true)
                .start();
        UpProcess up = new UpProcess(process);
        up.awaitLine("Press Ctrl-C to stop.");
        return up;
    }

    private void awaitLine(String expected) throws InterruptedException {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "up-output");
        reader.setDaemon(true);
        reader.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            if (line != null && line.contains(expected)) {
                return;
            }
            if (line == null && !process.isAlive()) {
                throw new AssertionError("tidepool up exited with " + process.exitValue() + ":\n" + String.join("\n", output));
            }
        }
        throw new AssertionError("tidepool up did not start in " + START_TIMEOUT + ":\n" + String.join("\n", output));
    }

    String output() {
        return String.join("\n", output);
    }

    /** The first line up printed that starts with {@code prefix}, waiting up to {@code timeout} for it. */
    String awaitLineStartingWith(String prefix, Duration timeout) {
        try {
            return Await.value(timeout, "a line of up starting with \"" + prefix + "\"",
                    () -> output.stream().filter(line -> line.startsWith(prefix)).findFirst().orElse(null));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; up printed:\n" + output(), e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed that was not already durable. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
