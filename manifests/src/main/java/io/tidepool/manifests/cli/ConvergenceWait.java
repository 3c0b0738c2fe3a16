package io.tidepool.manifests.cli;

import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import io.tidepool.manifests.apply.Progress;
import io.tidepool.manifests.client.ApiClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * {@code apply --wait}: after an apply, follows the endpoints it touched until the fleet has done
 * what they declare (placed, running the Postgres they name, within their size bounds; pruned ones
 * gone), printing progress when it changes. A restart that waits for its endpoint's window counts
 * as done for now and is reported with the time the window opens.
 */
final class ConvergenceWait {
    private static final Duration POLL = Duration.ofMillis(500);
    private static final int PENDING_SHOWN = 5;

    static final class Options {
        @Option(names = "--wait", description = "After applying, wait until the fleet has converged: endpoints placed, "
                + "computes running, restarts done or waiting for their window")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
                description = "With --wait: give up after this long, exit code 7 (default: ${DEFAULT-VALUE})")
        Duration timeout;
    }

    private final ApiClient api;
    private final PrintWriter out;
    private final Palette palette;

    ConvergenceWait(ApiClient api, PrintWriter out, Palette palette) {
        this.api = api;
        this.out = out;
        this.palette = palette;
    }

    int await(ApplyResponse applied, Duration timeout) {
        Progress.Request request = new Progress.Request(endpoints(applied, false), endpoints(applied, true));
        if (request.endpoints().isEmpty() && request.pruned().isEmpty()) {
            out.println("nothing to wait for: the apply touched no endpoint");
            out.flush();
            return ExitCode.OK;
        }
        Instant start = Instant.now();
        Instant deadline = start.plus(timeout);
        String shown = null;
        while (true) {
            Progress progress = api.progress(request);
            String line = summary(progress);
            if (progress.settled()) {
                out.println(palette.green("converged") + " in " + DurationFormat.format(elapsed(start)) + ": " + line);
                details(progress, "WaitingForWindow");
                out.flush();
                return ExitCode.OK;
            }
            if (!line.equals(shown)) {
                out.println("waiting: " + line);
                out.flush();
                shown = line;
            }
            if (!Instant.now().isBefore(deadline)) {
                out.println(palette.red("timed out") + " after " + DurationFormat.format(timeout) + ", still pending:");
                details(progress, null);
                out.flush();
                return ExitCode.TIMED_OUT;
            }
            pause();
        }
    }

    private static List<String> endpoints(ApplyResponse applied, boolean pruned) {
        return applied.results().stream()
                .filter(r -> r.kind().equals("Endpoint") && r.action().equals("pruned") == pruned && !r.action().equals("kept"))
                .map(ObjectResult::name).toList();
    }

    /** {@code 2 Ready, 1 Pending (blog: not placed yet)}. */
    static String summary(Progress progress) {
        Map<String, Long> counts = progress.endpoints().stream()
                .collect(Collectors.groupingBy(Progress.Item::state, TreeMap::new, Collectors.counting()));
        String pending = progress.endpoints().stream().filter(i -> !i.settled()).limit(PENDING_SHOWN)
                .map(i -> i.name() + ": " + i.message()).collect(Collectors.joining("; "));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "))
                + (pending.isEmpty() ? "" : " (" + pending + ")");
    }

    /** One line per endpoint in {@code state}, or per endpoint not settled when null. */
    private void details(Progress progress, String state) {
        progress.endpoints().stream()
                .filter(i -> state == null ? !i.settled() : i.state().equals(state))
                .forEach(i -> out.println("  " + i.name() + ": " + i.state() + ": " + i.message()));
    }

    private static Duration elapsed(Instant start) {
        return Duration.ofSeconds(Duration.between(start, Instant.now()).toSeconds());
    }

    // The CLI's own poll interval: nothing here is a test waiting on a condition.
    private static void pause() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCode.FAILED, "interrupted while waiting");
        }
    }
}
