package io.tidepool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.server.hosts.LocalMachine;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's quickstart, end to end through the real launcher, a real single-node Ratis store on
 * RocksDB and the real CLI processes: apply, the endpoints running on up's hosts, describe, get,
 * diff, an invalid set, and a crash. {@code up} chooses its driver as a user's would: where this
 * machine can run real Postgres it does, each endpoint says how to connect to it with psql, and
 * psql connects that way, before the crash and after it.
 */
class QuickstartTest {
    private static final Path QUICKSTART = Launcher.ROOT.resolve("examples/quickstart");
    private static final List<String> ENDPOINTS = List.of("shop", "blog", "analytics");
    private static final Duration RUNNING_WAIT = Duration.ofSeconds(90);
    private static final Duration PSQL_TIMEOUT = Duration.ofSeconds(30);
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void appliesDiffsRefusesInvalidSetsAndSurvivesKillMinusNine() throws Exception {
        Launcher tidepool = new Launcher(tmp.resolve("config.yaml"));
        Path dataDir = tmp.resolve("data");
        int port = LoopbackPort.free();
        Optional<String> processUnavailable = LocalMachine.detect().processDriverUnavailable();
        boolean realComputes = processUnavailable.isEmpty();

        try (UpComputes computes = UpComputes.create(2)) {
            Set<Long> crashedComputes = Set.of();
            try (UpProcess up = UpProcess.start(tidepool, dataDir, port, computes.upOptions())) {
                assertThat(up.output()).contains("http://127.0.0.1:" + port, "local-host-1, local-host-2",
                        realComputes ? "driver:    process (auto: " : "driver:    sim (auto: " + processUnavailable.get() + ")");

                Launcher.Result applied = tidepool.run("apply", "-f", QUICKSTART.toString());
                assertThat(applied.exitCode()).as(applied.toString()).isZero();
                assertThat(applied.out()).contains("Endpoint/shop created", "Endpoint/blog created", "Endpoint/analytics created")
                        .contains("3 created");

                assertThat(endpointNames(tidepool)).containsExactlyInAnyOrderElementsOf(ENDPOINTS);
                Await.until(RUNNING_WAIT, "the quickstart endpoints Running on up's hosts",
                        () -> runningOnLocalHosts(tidepool).size() == 3);
                if (realComputes) {
                    // Idle Postgres servers keep their minimum size (simulated tenants have workloads that grow them).
                    assertThat(runningOnLocalHosts(tidepool)).as("CU of each endpoint, as README shows them")
                            .containsEntry("shop", "0.25").containsEntry("blog", "0.25").containsEntry("analytics", "0.5");
                    for (String endpoint : ENDPOINTS) {
                        up.awaitLineStartingWith("endpoint " + endpoint + ": psql 'postgresql://", RUNNING_WAIT);
                    }
                    assertThat(psql(up.awaitLineStartingWith("endpoint shop: psql ", RUNNING_WAIT), "SELECT 1"))
                            .as("psql as up says for shop").isEqualTo("1");
                    crashedComputes = computes.processes();
                    assertThat(crashedComputes).as("Postgres servers in the computes' cgroups").isNotEmpty();
                } else {
                    assertThat(up.output()).doesNotContain(": psql ");
                }
                Launcher.Result described = tidepool.run("describe", "endpoint", "analytics");
                assertThat(described.exitCode()).as(described.toString()).isZero();
                assertThat(described.out()).contains("Conditions:", "Scheduled", "Computes:", "analytics-1", "Scaling:");

                Launcher.Result same = tidepool.run("diff", "-f", QUICKSTART.toString());
                assertThat(same.exitCode()).as(same.toString()).isZero();
                assertThat(same.out()).isEmpty();

                Path edited = copyOfQuickstart();
                Path shop = edited.resolve("endpoints.yaml");
                Files.writeString(shop, Files.readString(shop).replace("compute: {minCu: 0.25, maxCu: 2}", "compute: {minCu: 0.25, maxCu: 1.5}"));
                Launcher.Result changed = tidepool.run("diff", "-f", edited.toString());
                assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(1);
                assertThat(changed.out()).contains("--- live/Endpoint/shop", "-    maxCu: 2", "+    maxCu: 1.5")
                        .doesNotContain("Endpoint/blog");

                Path invalid = tmp.resolve("invalid.yaml");
                Files.writeString(invalid, """
                        apiVersion: tidepool.io/v1
                        kind: Endpoint
                        metadata: {name: fine}
                        spec: {cell: local, compute: {minCu: 0.25, maxCu: 1}}
                        ---
                        apiVersion: tidepool.io/v1
                        kind: Endpoint
                        metadata: {name: broken}
                        spec:
                          cell: local
                          compute: {minCu: 0.25, maxCPU: 1}
                        """);
                Launcher.Result refused = tidepool.run("apply", "-f", invalid.toString());
                assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
                assertThat(refused.err()).contains(invalid + ":11:").contains("Endpoint/broken").contains("maxCPU")
                        .contains("nothing was applied");
                assertThat(endpointNames(tidepool)).doesNotContain("fine", "broken");

                up.kill();
            }

            try (UpProcess again = UpProcess.start(tidepool, dataDir, port, computes.upOptions())) {
                assertThat(endpointNames(tidepool)).containsExactlyInAnyOrderElementsOf(ENDPOINTS);
                Launcher.Result after = tidepool.run("diff", "-f", QUICKSTART.toString());
                assertThat(after.exitCode()).as(after.toString()).isZero();
                if (realComputes) {
                    // The killed up's computes ran on unmanaged; its successor's agents stop them before they start theirs.
                    assertThat(crashedComputes).as("what the killed up left running, still alive")
                            .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
                    assertThat(psql(again.awaitLineStartingWith("endpoint shop: psql ", RUNNING_WAIT), "SELECT 1"))
                            .as("psql as the restarted up says for shop").isEqualTo("1");
                }
            }
            assertThat(computes.processes()).as("up stops its computes when it is stopped").isEmpty();
        }
    }

    @Test
    void getsOneObjectAsItselfAndAListAsItems() throws Exception {
        Launcher tidepool = new Launcher(tmp.resolve("config.yaml"));
        // What get prints does not depend on how computes run: sim spares starting three Postgres servers.
        try (UpProcess up = UpProcess.start(tidepool, tmp.resolve("data"), LoopbackPort.free(), List.of("--driver", "sim"))) {
            assertThat(tidepool.run("apply", "-f", QUICKSTART.toString()).exitCode()).isZero();

            JsonNode shop = json.readTree(tidepool.run("get", "endpoint", "shop", "-o", "json").out());
            assertThat(shop.get("kind").asText()).isEqualTo("Endpoint");
            assertThat(shop.at("/spec/compute/maxCu").asText()).isEqualTo("2");

            Launcher.Result table = tidepool.run("get", "endpoints");
            assertThat(table.out().lines().findFirst().orElseThrow()).startsWith("NAME").contains("CELL", "MIN", "MAX");

            Launcher.Result yaml = tidepool.run("get", "cells", "-o", "yaml");
            assertThat(yaml.out()).contains("kind: Cell", "name: local");

            Launcher.Result missing = tidepool.run("get", "endpoint", "nope");
            assertThat(missing.exitCode()).isEqualTo(4);
            assertThat(missing.err()).contains("Endpoint/nope not found");

            assertThat(tidepool.run("delete", "endpoint", "blog").out()).contains("Endpoint/blog deleted");
            assertThat(endpointNames(tidepool)).containsExactlyInAnyOrder("shop", "analytics");
        }
    }

    private Stream<String> endpointNamesStream(Launcher tidepool) throws IOException {
        Launcher.Result listed = tidepool.run("get", "endpoints", "-o", "json");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        JsonNode items = json.readTree(listed.out()).get("items");
        return StreamSupport.stream(items.spliterator(), false).map(i -> i.at("/metadata/name").asText());
    }

    /** The CU of each endpoint Running on one of up's hosts. */
    private Map<String, String> runningOnLocalHosts(Launcher tidepool) {
        try {
            JsonNode items = json.readTree(tidepool.run("get", "endpoints", "-o", "json").out()).get("items");
            Map<String, String> running = new HashMap<>();
            for (JsonNode endpoint : items) {
                if (endpoint.at("/status/phase").asText().equals("Running")
                        && endpoint.at("/status/host").asText().startsWith("local-host-")) {
                    running.put(endpoint.at("/metadata/name").asText(), endpoint.at("/status/cu").asText());
                }
            }
            return running;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs the psql command of a line up printed ({@code endpoint NAME: psql 'URI'}) through a
     * shell, as a user pastes it, with a query added; returns what it printed.
     */
    private static String psql(String line, String query) throws IOException, InterruptedException {
        String command = line.substring(line.indexOf(": psql ") + 2);
        Process psql = new ProcessBuilder("bash", "-c", command + " -X -A -t -c '" + query + "'")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).redirectErrorStream(true).start();
        Launcher.Drain output = new Launcher.Drain(psql.getInputStream());
        if (!psql.waitFor(PSQL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            psql.destroyForcibly();
            throw new AssertionError(command + " did not finish in " + PSQL_TIMEOUT);
        }
        return output.text().trim();
    }

    private List<String> endpointNames(Launcher tidepool) throws IOException {
        return endpointNamesStream(tidepool).toList();
    }

    private Path copyOfQuickstart() throws IOException {
        Path copy = tmp.resolve("quickstart");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(QUICKSTART)) {
            for (Path file : files.toList()) {
                Files.copy(file, copy.resolve(file.getFileName()));
            }
        }
        return copy;
    }

}
