package io.tidepool.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.apply.ApplyRequest;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import io.tidepool.store.Await;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The sync state of apply sets in {@code /metrics}: the commit in force, the latest attempt, whether in sync, drift. */
@Timeout(120)
class ApplySetMetricsTest {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;
    private static final ApplySet.Source REPO = new ApplySet.Source("https://git.example/fleet.git", "main", "prod", null);

    @TempDir
    Path tmp;

    @Test
    void exposesTheCommitInForceTheLatestAttemptWhetherInSyncAndDrift() throws Exception {
        try (LocalFleet fleet = LocalFleet.start(tmp, 1, endpoint -> Idle.TYPICAL)) {
            Instant before = Instant.now();
            assertThat(apply(fleet, "prod", REPO.withCommit("aaa111"), ENDPOINT.formatted("shop", "2"),
                    ENDPOINT.formatted("cart", "1")).statusCode()).isEqualTo(200);
            assertThat(apply(fleet, "by-hand", null, ENDPOINT.formatted("blog", "1")).statusCode()).isEqualTo(200);

            Exposition applied = scrape(fleet);
            assertThat(applied.valueOf("tidepool_applyset_info", "set", "prod", "repo", "https://git.example/fleet.git",
                    "branch", "main", "path", "prod", "commit", "aaa111")).isEqualTo(1.0);
            assertThat(applied.valueOf("tidepool_applyset_objects", "set", "prod")).isEqualTo(2.0);
            assertThat(applied.valueOf("tidepool_applyset_last_applied_time_seconds", "set", "prod"))
                    .isBetween(before.toEpochMilli() / 1000.0, Instant.now().toEpochMilli() / 1000.0);
            assertThat(outcomes(applied, "prod")).containsExactly("Applied");
            assertThat(applied.valueOf("tidepool_applyset_synced", "set", "prod")).isEqualTo(1.0);
            assertThat(applied.valueOf("tidepool_applyset_drifted_objects", "set", "prod")).isZero();
            assertThat(applied.value("tidepool_applyset_synced", "set", "by-hand")).as("not from git").isEmpty();
            assertThat(applied.valueOf("tidepool_applyset_info", "set", "by-hand", "repo", "", "branch", "", "path", "",
                    "commit", "")).isEqualTo(1.0);

            HttpResponse<String> invalid = apply(fleet, "prod", REPO.withCommit("bbb222"), ENDPOINT.formatted("shop", "0.3"));
            assertThat(invalid.statusCode()).as(invalid.body()).isEqualTo(422);
            fleet.apply(ENDPOINT.formatted("cart", "3"));

            Exposition behind = scrape(fleet);
            assertThat(outcomes(behind, "prod")).containsExactly("Invalid");
            assertThat(behind.valueOf("tidepool_applyset_synced", "set", "prod"))
                    .as("the head is bbb222, aaa111 is in force").isZero();
            assertThat(behind.valueOf("tidepool_applyset_info", "set", "prod", "repo", "https://git.example/fleet.git",
                    "branch", "main", "path", "prod", "commit", "aaa111")).isEqualTo(1.0);
            assertThat(behind.valueOf("tidepool_applyset_last_applied_time_seconds", "set", "prod"))
                    .isEqualTo(applied.valueOf("tidepool_applyset_last_applied_time_seconds", "set", "prod"));
            assertThat(behind.valueOf("tidepool_applyset_last_attempt_time_seconds", "set", "prod"))
                    .isGreaterThanOrEqualTo(behind.valueOf("tidepool_applyset_last_applied_time_seconds", "set", "prod"));
            awaitDrift(fleet, "cart changed by hand", 1);

            assertThat(apply(fleet, "prod", REPO.withCommit("ccc333"), ENDPOINT.formatted("shop", "2"),
                    ENDPOINT.formatted("cart", "1")).statusCode()).isEqualTo(200);
            Exposition caughtUp = scrape(fleet);
            assertThat(caughtUp.valueOf("tidepool_applyset_synced", "set", "prod")).isEqualTo(1.0);
            awaitDrift(fleet, "applying the set again puts cart back", 0);
            assertThat(caughtUp.samples("tidepool_applyset_info")).as("one info series per set, the commit in force")
                    .hasSize(2).anySatisfy(s -> assertThat(s.labels()).containsEntry("commit", "ccc333"));
        }
    }

    /** Drift is counted again after a change, but not sooner than ten times the last count took. */
    private static void awaitDrift(LocalFleet fleet, String why, int drifted) {
        Await.until(Duration.ofSeconds(30), why + ": " + drifted + " drifted", () ->
                scrape(fleet).valueOf("tidepool_applyset_drifted_objects", "set", "prod") == drifted);
    }

    private static List<String> outcomes(Exposition scrape, String set) {
        List<Exposition.Sample> samples = scrape.samples("tidepool_applyset_last_attempt_outcome").stream()
                .filter(s -> s.labels().get("set").equals(set)).toList();
        assertThat(samples).as("a series per outcome").hasSize(ApplySet.Outcome.values().length);
        return samples.stream().filter(s -> s.value() == 1.0).map(s -> s.labels().get("outcome")).toList();
    }

    private static HttpResponse<String> apply(LocalFleet fleet, String set, ApplySet.Source source, String... documents)
            throws Exception {
        List<ManifestFile> files = new java.util.ArrayList<>();
        for (int i = 0; i < documents.length; i++) {
            files.add(new ManifestFile("file" + i + ".yaml", documents[i]));
        }
        ApplyRequest request = new ApplyRequest(files, false, set, false, false, null, source);
        return fleet.post("/api/v1/apply", ResourceJson.mapper().writeValueAsString(request));
    }

    private static Exposition scrape(LocalFleet fleet) {
        HttpResponse<String> response = fleet.get("/metrics");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Exposition.parse(response.body());
    }
}
