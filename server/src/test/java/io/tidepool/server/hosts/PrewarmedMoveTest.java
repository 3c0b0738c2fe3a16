package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.control.ControlLoop;
import io.tidepool.migration.MigrationSettings;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A move off a host above its watermark between two host agents on this machine, on real
 * Postgres, through the endpoint proxy, under pgbench (select-only and simple-update) and a
 * counting writer: the replacement streams from the primary on the other host and is prewarmed,
 * the switch needs no window, every transaction a client saw committed is there after it, the
 * proxy's address never changes, no two servers of the endpoint take writes at once, and no host
 * ever holds more than its capacity. Skipped, saying why, where the machine lacks what
 * {@code up --driver process} needs.
 */
@Timeout(240)
class PrewarmedMoveTest {
    private static final Logger log = LoggerFactory.getLogger(PrewarmedMoveTest.class);
    private static final Duration WAIT = ProxiedFleet.WAIT;
    /** Two CPUs make 2 CU per host, and the cell's watermark of 0.75 1.5 CU. */
    /** About 150 MB each: more than shared_buffers. */
    private static final int SCALE = 10;
    private static final String CELL = ProxiedFleet.cell(0.75);
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec:
              cell: local
              compute: {minCu: %s, maxCu: %2$s}
              postgres: {version: "15"}
            """;
    /** A move that cannot finish fails in a minute, not ten. */
    private static final ControlLoop.Settings CONTROL = ControlLoop.Settings.DEFAULT.withMigrations(new MigrationSettings(
            MigrationSettings.DEFAULT.limits(), Duration.ofSeconds(60), MigrationSettings.DEFAULT.retention()));

    @RegisterExtension
    static final ProxiedFleets FLEETS = new ProxiedFleets();
    @TempDir
    Path tmp;
    private ProxiedFleet fleet;

    @Test
    void aMoveOffAFullHostUnderLoadSwitchesAtTheSameAddressKeepingEveryCommit() throws Exception {
        fleet = FLEETS.start(tmp, CONTROL);
        fleet.fleet().apply(CELL, ENDPOINT.formatted("shop", "0.5"));
        TenantDatabase shop = TenantDatabase.awaitServing(fleet.fleet(), "shop", WAIT);
        fleet.fleet().apply(ENDPOINT.formatted("blog", "0.5"));
        TenantDatabase blog = TenantDatabase.awaitServing(fleet.fleet(), "blog", WAIT);
        assertThat(blog.host()).as("best fit packs both on one host").isEqualTo(shop.host());
        // Either may move (the one that grows, or the other): both are under load, each checked.
        Map<String, String> addresses = Map.of("shop", fleet.proxyAddress("shop"), "blog", fleet.proxyAddress("blog"));
        for (String endpoint : addresses.keySet()) {
            TenantLoad.initialise(addresses.get(endpoint), SCALE, tmp.resolve(endpoint));
        }

        String moved;
        String target;
        try (SwitchWatch shopWatch = SwitchWatch.start(fleet, "shop"); SwitchWatch blogWatch = SwitchWatch.start(fleet, "blog");
             TenantLoad shopLoad = TenantLoad.start(fleet, "shop", addresses.get("shop"), tmp.resolve("shop"));
             TenantLoad blogLoad = TenantLoad.start(fleet, "blog", addresses.get("blog"), tmp.resolve("blog"))) {
            // blog grows to 1.25 CU: its host would hold 1.75 CU, above its watermark of 1.5.
            fleet.fleet().apply(ENDPOINT.formatted("blog", "1.25"));
            JsonNode migration = Await.value(WAIT, "a move off " + shop.host(), this::firstMigration);
            moved = migration.at("/spec/endpoint").asText();
            target = migration.at("/spec/targetHost").asText();
            String name = migration.at("/metadata/name").asText();
            JsonNode done = Await.value(WAIT, moved + " moved to " + target + " and serving there", () -> {
                JsonNode now = fleet.fleet().getJson("/api/v1/migrations/" + name);
                boolean over = "Succeeded".equals(now.at("/status/phase").asText())
                        && target.equals(TenantDatabase.current(fleet.fleet(), moved).host());
                return over ? now : null;
            });
            TenantLoad movedLoad = moved.equals("shop") ? shopLoad : blogLoad;
            movedLoad.awaitMoreWrites(200);
            shopLoad.stop();
            blogLoad.stop();
            shopLoad.close();
            blogLoad.close();
            shopWatch.close();
            blogWatch.close();
            log.info("moved {} under load through the proxy: {}; {}", moved, done.get("status"), movedLoad);
            for (SwitchWatch watch : List.of(shopWatch, blogWatch)) {
                log.info("{}", watch);
                assertThat(watch.mostStorePrimaries()).as("primaries of an endpoint in the store at one time").isEqualTo(1);
                assertThat(watch.mostWritable()).as("Postgres servers of an endpoint taking writes at one time").isEqualTo(1);
                assertThat(watch.overCapacity()).as("hosts above their capacity").isEmpty();
            }
            assertThat(shopWatch.addresses()).as("shop's status.address throughout").containsExactly(addresses.get("shop"));
            assertThat(blogWatch.addresses()).as("blog's status.address throughout").containsExactly(addresses.get("blog"));
        }
        assertThat(target).isNotEqualTo(shop.host());
        assertThat(fleet.computesOf(moved)).hasSize(1);
        String stayed = moved.equals("shop") ? "blog" : "shop";
        assertThat(TenantDatabase.current(fleet.fleet(), stayed).host()).as(stayed + " stays").isEqualTo(shop.host());
    }

    private JsonNode firstMigration() {
        JsonNode items = fleet.fleet().getJson("/api/v1/migrations").get("items");
        return items.isEmpty() ? null : items.get(0);
    }
}
