package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidepool plan} against a running control plane with one local sim host of 16 CU. */
@Timeout(120)
class PlanCommandTest {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: %s, compute: {minCu: %s, maxCu: 16}}
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
        up.awaitHostReady();
    }

    @AfterEach
    void stopFleet() {
        up.close();
    }

    @Test
    void showsTheDiffAndWhereNewEndpointsGoAndWritesNothing() throws IOException {
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "local", "1"));

        Cli.Run plan = cli.run("plan", "-f", manifests.toString());

        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("+++ applied/Endpoint/shop", "What the fleet would do",
                "Endpoint/shop: placed 1 CU on local-host-1: the best fit below its watermark", "It fits.");
        assertThat(plan.out()).containsPattern("local +1 +16 CU +0 -> 1 CU");
        assertThat(fleet.get("/api/v1/endpoints/shop").statusCode()).as("plan writes nothing").isEqualTo(404);
    }

    @Test
    void exitsSixWhenTheManifestsAreValidButWillNotFit() throws IOException {
        Files.writeString(manifests.resolve("big.yaml"), ENDPOINT.formatted("big", "local", "15") + "---\n"
                + ENDPOINT.formatted("bigger", "local", "15"));

        Cli.Run plan = cli.run("plan", "-f", manifests.toString());

        assertThat(plan.exitCode()).isEqualTo(ExitCode.WONT_FIT);
        assertThat(plan.out()).contains("Endpoint/bigger: will not fit: no host has 15 CU free (the most is 1 CU, on local-host-1)",
                "a static cell grows only when host agents register in it", "It will not fit");
    }

    @Test
    void aCellWithAProviderWouldAddHostsAndFits() throws IOException {
        Files.writeString(manifests.resolve("pool.yaml"), """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata: {name: pool}
                spec: {hostTemplate: {cpus: 16, memory: 64Gi}, provider: {type: simulated}, buffer: {spareCu: 4}}
                ---
                """ + ENDPOINT.formatted("shop", "pool", "2"));

        Cli.Run plan = cli.run("plan", "-f", manifests.toString(), "-o", "json");

        assertThat(plan.exitCode()).as(plan.out() + plan.err()).isZero();
        assertThat(plan.out()).contains("\"fits\" : true", "\"provisioned\" : 1", "placed 2 CU on a host the simulated provider adds");
    }

    @Test
    void invalidManifestsExitTwoWithTheirErrors() throws IOException {
        Files.writeString(manifests.resolve("shop.yaml"), ENDPOINT.formatted("shop", "nowhere", "1"));

        Cli.Run plan = cli.run("plan", "-f", manifests.toString());

        assertThat(plan.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(plan.err()).contains("shop.yaml:4:", "spec.cell");
    }
}
