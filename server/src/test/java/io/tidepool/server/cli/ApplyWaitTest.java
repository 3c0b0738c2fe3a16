package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code apply --wait} against a running control plane with local sim hosts. */
@Timeout(120)
class ApplyWaitTest {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec:
              cell: %s
              compute: {minCu: 0.5, maxCu: 2}
              postgres: {version: "%s"}
            %s
            """;

    @TempDir
    Path tmp;
    private CliFleet up;
    private LocalFleet fleet;
    private Cli cli;
    private Path manifests;

    @BeforeEach
    void startFleet() throws IOException {
        up = CliFleet.start(tmp, "shop");
        fleet = up.fleet();
        cli = up.cli();
        manifests = up.manifests();
    }

    @AfterEach
    void stopFleet() {
        up.close();
    }

    @Test
    void waitsUntilTheEndpointsArePlacedAndRunning() throws IOException {
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "local", "15", ""));
        Files.writeString(manifests.resolve("blog.yaml"), ENDPOINT.formatted("blog", "local", "15", ""));

        Cli.Run run = cli.run("apply", "-f", manifests.toString(), "--wait", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("converged in", "2 Ready");
        assertThat(fleet.getJson("/api/v1/endpoints/shop").at("/status/phase").asText()).isEqualTo("Running");
        assertThat(fleet.getJson("/api/v1/endpoints/blog").at("/status/phase").asText()).isEqualTo("Running");
    }

    @Test
    void timesOutSayingWhatIsStillPendingWhenNoHostCanTakeIt() throws IOException {
        Files.writeString(manifests.resolve("cell.yaml"), """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata: {name: empty}
                spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
                """);
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "empty", "15", ""));

        Cli.Run run = cli.run("apply", "-f", manifests.toString(), "--wait", "--timeout", "2s");

        assertThat(run.exitCode()).isEqualTo(ExitCode.TIMED_OUT);
        assertThat(run.out()).contains("timed out after 2s, still pending:", "shop: Pending: not placed");
    }

    @Test
    void aRestartWaitingForItsWindowCountsAsConvergedAndSaysWhenTheWindowOpens() throws IOException {
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "local", "15", window()));
        assertThat(cli.run("apply", "-f", manifests.toString(), "--wait", "--timeout", "60s").exitCode()).isZero();
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "local", "16", window()));

        Cli.Run run = cli.run("apply", "-f", manifests.toString(), "--wait", "--timeout", "60s");

        assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("Endpoint/shop configured", "converged in", "1 WaitingForWindow",
                "shop: WaitingForWindow:", "waits for its window, which opens at");
    }

    /** A window that opens the day after tomorrow (UTC), so it is closed throughout the test. */
    private static String window() {
        DayOfWeek day = LocalDate.now(ZoneOffset.UTC).plusDays(2).getDayOfWeek();
        return "  restartWindow: {days: [" + day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                + "], start: \"03:00\", duration: 1h}";
    }
}
