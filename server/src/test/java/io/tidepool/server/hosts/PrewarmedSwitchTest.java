package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.control.ControlLoop;
import io.tidepool.postgres.SizedSettings;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A planned restart on real Postgres, through the endpoint proxy, under pgbench (select-only and
 * simple-update, on data larger than shared_buffers) and a counting writer: the replacement
 * streams from the primary and is prewarmed ahead of the window, the switch waits for the window
 * and happens inside it, every transaction a client saw committed is there after it, the proxy's
 * address never changes, and no two Postgres servers of the endpoint ever take writes at once.
 * The fleet's clock is moved to the window rather than waited for. Skipped, saying why, where the
 * machine lacks what {@code up --driver process} needs.
 */
@Timeout(240)
class PrewarmedSwitchTest {
    private static final Logger log = LoggerFactory.getLogger(PrewarmedSwitchTest.class);
    private static final Duration WAIT = ProxiedFleet.WAIT;
    /** Scale 10 is about 150 MB: more than shared_buffers, so the hot pages are a choice. */
    private static final int SCALE = 10;
    private static final Duration WINDOW_OPENS_IN = Duration.ofMinutes(5);
    private static final String CELL = ProxiedFleet.cell(0.9);
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec:
              cell: local
              compute: {minCu: 1, maxCu: 1}
              postgres: {version: "15", settings: {%s}}
              restartWindow: {days: [Mon, Tue, Wed, Thu, Fri, Sat, Sun], start: "%s", duration: 1h, timeZone: UTC}
            """;

    @RegisterExtension
    static final ProxiedFleets FLEETS = new ProxiedFleets();
    @TempDir
    Path tmp;
    private ProxiedFleet fleet;

    @Test
    void aPlannedRestartUnderLoadSwitchesInsideTheWindowAtTheSameAddressKeepingEveryCommit() throws Exception {
        fleet = FLEETS.start(tmp, ControlLoop.Settings.DEFAULT);
        Instant opens = fleet.clock().instant().plus(WINDOW_OPENS_IN).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
        String start = DateTimeFormatter.ofPattern("HH:mm").format(opens.atZone(ZoneOffset.UTC));
        fleet.fleet().apply(CELL, ENDPOINT.formatted("", start));
        String address = fleet.proxyAddress("shop");
        TenantDatabase first = TenantDatabase.awaitServing(fleet.fleet(), "shop", WAIT);
        assertThat(first.address()).isEqualTo(address);
        TenantLoad.initialise(address, SCALE, tmp.resolve("pgbench"));
        assertThat(Long.parseLong(first.query("SELECT pg_database_size('postgres')")))
                .as("the data is larger than shared_buffers").isGreaterThan(SizedSettings.SHARED_BUFFERS_BYTES);

        String replacement;
        JsonNode restarted;
        try (SwitchWatch watch = SwitchWatch.start(fleet, "shop");
             TenantLoad load = TenantLoad.start(fleet, "shop", address, tmp.resolve("pgbench"))) {
            fleet.fleet().apply(ENDPOINT.formatted("max_connections: \"120\"", start));
            replacement = Await.value(WAIT, "a warm replacement of shop, ahead of its window", () -> fleet.computesOf("shop")
                    .stream().filter(c -> "replacement".equals(c.at("/spec/role").asText()) && c.at("/status/warm").asBoolean())
                    .map(c -> c.at("/metadata/name").asText()).findFirst().orElse(null));
            fleet.advance(Duration.ofSeconds(30));
            assertThat(TenantDatabase.current(fleet.fleet(), "shop").compute()).as("no switch before the window opens")
                    .isEqualTo(first.compute());
            assertThat(restartPending().at("/reason").asText()).isEqualTo("Warm");

            fleet.advance(Duration.between(fleet.clock().instant(), opens).plusSeconds(1));
            restarted = Await.value(WAIT, "shop restarted with max_connections 120", () -> {
                TenantDatabase now = TenantDatabase.current(fleet.fleet(), "shop");
                boolean switched = replacement.equals(now.compute()) && "120".equals(now.queryQuietly("SHOW max_connections"));
                return switched ? restartPending() : null;
            });
            load.awaitMoreWrites(200);
            load.close();
            log.info("restarted shop under load through the proxy: {}; {}", load, watch);
            watch.close();
            assertThat(watch.addresses()).as("status.address throughout").containsExactly(address);
            assertThat(watch.mostStorePrimaries()).as("primaries of shop in the store at one time").isEqualTo(1);
            assertThat(watch.mostWritable()).as("Postgres servers of shop taking writes at one time").isEqualTo(1);
        }
        Instant switchedAt = Instant.parse(restarted.at("/lastTransitionTime").asText());
        assertThat(restarted.at("/reason").asText()).isEqualTo("Restarted");
        assertThat(switchedAt).as("the switch, inside the window").isAfterOrEqualTo(opens).isBefore(opens.plus(Duration.ofHours(1)));
        assertThat(fleet.computesOf("shop")).hasSize(1);
    }

    private JsonNode restartPending() {
        for (JsonNode condition : fleet.fleet().getJson("/api/v1/endpoints/shop").at("/status/conditions")) {
            if ("RestartPending".equals(condition.at("/type").asText())) {
                return condition;
            }
        }
        return null;
    }
}
