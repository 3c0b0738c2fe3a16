package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.control.ControlLoop;
import io.tidepool.postgres.PostgresServer;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned restart through the proxy, under load, with a postmaster killed with -KILL at one
 * moment of the switch: the replacement while it warms, the replacement as it is promoted, the old
 * primary as it is fenced. Each ends with the restart done, one primary, the endpoint serving at
 * the proxy's address and every acknowledged commit there. Skipped, saying why, where the machine
 * lacks what {@code up --driver process} needs.
 */
@Timeout(180)
class SwitchFailureTest {
    private static final Logger log = LoggerFactory.getLogger(SwitchFailureTest.class);
    private static final Duration WAIT = ProxiedFleet.WAIT;
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();
    private static final String CELL = ProxiedFleet.cell(0.9);
    /** No restart window: one is open around the clock, so the retry is not waited for. */
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec:
              cell: local
              compute: {minCu: 0.5, maxCu: 0.5}
              postgres: {version: "15", settings: {%s}}
            """;

    @RegisterExtension
    static final ProxiedFleets FLEETS = new ProxiedFleets();
    @TempDir
    Path tmp;
    private ProxiedFleet fleet;

    @Test
    void aReplacementKilledWhileItWarmsIsStartedAgainAndTheRestartStillHappens() throws Exception {
        restartKilling("the replacement while it warms", computes -> replacement(computes)
                .filter(r -> !r.at("/status/warm").asBoolean())
                .flatMap(r -> fleet.server(name(r))).filter(PostgresServer::alive));
    }

    @Test
    void aReplacementKilledAsItIsPromotedTakesOverAnyway() throws Exception {
        restartKilling("the replacement as it is promoted", computes -> computes.stream()
                .filter(c -> "primary".equals(c.at("/spec/role").asText()) && !c.at("/status/phase").asText().equals("Running"))
                .findFirst().flatMap(c -> fleet.server(name(c))).filter(PostgresServer::alive));
    }

    @Test
    void anOldPrimaryKilledAsTheSwitchBeginsLeavesNoCommitBehind() throws Exception {
        // The store fences the primary the moment its replacement is warm, and its host stops it
        // within milliseconds: killing it then lands before, during or just after its fast shutdown.
        // The old primary's server is taken before the switch: once fenced, its host forgets it.
        PostgresServer[] oldPrimary = new PostgresServer[1];
        restartKilling("the old primary as the switch begins", computes -> {
            if (oldPrimary[0] == null) {
                computes.stream().filter(c -> "primary".equals(c.at("/spec/role").asText())).findFirst()
                        .flatMap(c -> fleet.server(name(c))).ifPresent(server -> oldPrimary[0] = server);
            }
            return replacement(computes).filter(r -> r.at("/status/warm").asBoolean()).map(r -> oldPrimary[0]);
        });
    }

    /**
     * Restarts shop under load and kills with -KILL the postmaster {@code victim} picks from the
     * endpoint's computes (as the store has them) the first time it picks one.
     */
    private void restartKilling(String what, Function<List<JsonNode>, Optional<PostgresServer>> victim)
            throws Exception {
        fleet = FLEETS.start(tmp, ControlLoop.Settings.DEFAULT);
        fleet.fleet().apply(CELL, ENDPOINT.formatted(""));
        String address = fleet.proxyAddress("shop");
        TenantDatabase first = TenantDatabase.awaitServing(fleet.fleet(), "shop", WAIT);
        TenantLoad.initialise(address, 2, tmp.resolve("pgbench"));
        try (SwitchWatch watch = SwitchWatch.start(fleet, "shop");
             TenantLoad load = TenantLoad.start(fleet, "shop", address, tmp.resolve("pgbench"))) {
            fleet.fleet().apply(ENDPOINT.formatted("max_connections: \"120\""));
            PostgresServer killed = Await.value(WAIT, what, () -> {
                Optional<PostgresServer> found = victim.apply(fleet.computesOf("shop"));
                if (found.isEmpty()) {
                    LockSupport.parkNanos(POLL_NANOS);
                }
                return found.orElse(null);
            });
            long pid = killed.pid();
            boolean aliveAtKill = killed.alive();
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start().waitFor();
            Await.until(WAIT, "shop restarted with max_connections 120 after killing " + what, () -> {
                TenantDatabase now = TenantDatabase.current(fleet.fleet(), "shop");
                return !first.compute().equals(now.compute()) && "120".equals(now.queryQuietly("SHOW max_connections"))
                        && fleet.computesOf("shop").size() == 1;
            });
            load.awaitMoreWrites(100);
            load.close();
            watch.close();
            log.info("killed {} (pid {}, {} at the kill), restarted: {}; {}", what, pid, aliveAtKill ? "alive" : "already gone",
                    load, watch);
            assertThat(watch.addresses()).as("status.address throughout").containsExactly(address);
            assertThat(watch.mostStorePrimaries()).as("primaries of shop in the store at one time").isEqualTo(1);
            assertThat(watch.mostWritable()).as("Postgres servers of shop taking writes at one time").isEqualTo(1);
        }
        assertThat(TenantDatabase.current(fleet.fleet(), "shop").address()).isEqualTo(address);
        assertThat(fleet.computesOf("shop")).singleElement().satisfies(c -> {
            assertThat(c.at("/spec/role").asText()).isEqualTo("primary");
            assertThat(c.at("/status/phase").asText()).isEqualTo("Running");
        });
    }

    private static Optional<JsonNode> replacement(List<JsonNode> computes) {
        return computes.stream().filter(c -> "replacement".equals(c.at("/spec/role").asText())).findFirst();
    }

    private static String name(JsonNode compute) {
        return compute.at("/metadata/name").asText();
    }
}
