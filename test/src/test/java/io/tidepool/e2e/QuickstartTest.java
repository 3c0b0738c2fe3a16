package io.tidepool.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's quickstart, end to end through the real launcher, a real single-node Ratis store on
 * RocksDB and the real CLI processes: apply, the endpoints running on up's hosts, describe, get,
 * diff, an invalid set, and a crash.
 */
class QuickstartTest {
    private static final Path QUICKSTART = Launcher.ROOT.resolve("examples/quickstart");
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void appliesDiffsRefusesInvalidSetsAndSurvivesKillMinusNine() throws Exception {
        Launcher tidepool = new Launcher(tmp.resolve("config.yaml"));
        Path dataDir = tmp.resolve("data");
        int port = LoopbackPort.free();

        try (UpProcess up = UpProcess.start(tidepool, dataDir, port)) {
            assertThat(up.output()).contains("http://127.0.0.1:" + port, "local-host-1, local-host-2",
                    "auto is sim until the guest agent lands");

            Launcher.Result applied = tidepool.run("apply", "-f", QUICKSTART.toString());
            assertThat(applied.exitCode()).as(applied.toString()).isZero();
            assertThat(applied.out()).contains("Endpoint/shop created", "Endpoint/blog created", "Endpoint/analytics created")
                    .contains("3 created");

            assertThat(endpointNames(tidepool)).containsExactlyInAnyOrder("shop", "blog", "analytics");
            Await.until(Duration.ofSeconds(90), "the quickstart endpoints Running on up's hosts",
                    () -> runningOnLocalHosts(tidepool) == 3);
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

        try (UpProcess again = UpProcess.start(tidepool, dataDir, port)) {
            assertThat(endpointNames(tidepool)).containsExactlyInAnyOrder("shop", "blog", "analytics");
            Launcher.Result after = tidepool.run("diff", "-f", QUICKSTART.toString());
            assertThat(after.exitCode()).as(after.toString()).isZero();
        }
    }

    @Test
    void getsOneObjectAsItselfAndAListAsItems() throws Exception {
        Launcher tidepool = new Launcher(tmp.resolve("config.yaml"));
        try (UpProcess up = UpProcess.start(tidepool, tmp.resolve("data"), LoopbackPort.free())) {
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
        return java.util.stream.StreamSupport.stream(items.spliterator(), false).map(i -> i.at("/metadata/name").asText());
    }

    private long runningOnLocalHosts(Launcher tidepool) {
        try {
            JsonNode items = json.readTree(tidepool.run("get", "endpoints", "-o", "json").out()).get("items");
            return java.util.stream.StreamSupport.stream(items.spliterator(), false)
                    .filter(e -> e.at("/status/phase").asText().equals("Running")
                            && e.at("/status/host").asText().startsWith("local-host-"))
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private java.util.List<String> endpointNames(Launcher tidepool) throws IOException {
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
