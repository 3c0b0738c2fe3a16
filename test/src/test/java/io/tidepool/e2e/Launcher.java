package io.tidepool.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code ./tidepool} from the repository root the way a user does, with its own client config. */
final class Launcher {
    static final Path ROOT = Path.of(System.getProperty("tidepool.root", "..")).toAbsolutePath().normalize();
    private static final Duration VERB_TIMEOUT = Duration.ofMinutes(3);

    private final Path clientConfig;

    Launcher(Path clientConfig) {
        this.clientConfig = clientConfig;
    }

    ProcessBuilder command(String... args) {
        List<String> command = new ArrayList<>();
        command.add(ROOT.resolve("tidepool").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile());
        builder.environment().put("TIDEPOOL_CONFIG", clientConfig.toString());
        builder.environment().remove("TIDEPOOL_TOKEN");
        return builder;
    }

    /** Runs one verb to completion. */
    Result run(String... args) {
        try {
            Process process = command(args).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            Drain out = new Drain(process.getInputStream());
            Drain err = new Drain(process.getErrorStream());
            if (!process.waitFor(VERB_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("tidepool " + String.join(" ", args) + " did not finish in " + VERB_TIMEOUT);
            }
            return new Result(process.exitValue(), out.text(), err.text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Collects a stream on its own thread so that a chatty process never blocks on a full pipe. */
    static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in) {
            thread = new Thread(() -> {
                try (in) {
                    in.transferTo(bytes);
                } catch (IOException ignored) {
                    // the process ended
                }
            }, "drain");
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws InterruptedException {
            thread.join(Duration.ofSeconds(10).toMillis());
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
