package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.control.ControlLoop;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.proxy.PortRange;
import io.tidepool.server.proxy.ProxySettings;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint served by the endpoint proxy on a real Postgres compute: its address is the proxy's
 * and stays so through a suspend, and psql through it wakes the suspended endpoint. The fleet's
 * clock is moved past suspendAfter rather than waited for.
 */
class ProxiedEndpointTest {
    private static final Logger log = LoggerFactory.getLogger(ProxiedEndpointTest.class);
    private static final Duration WAIT = OneHostFleet.WAIT;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: 1}, suspendAfter: 1m}
            """;

    @RegisterExtension
    static final OneHostFleets HOSTS = new OneHostFleets();

    @TempDir
    Path tmp;

    @Test
    void psqlThroughTheProxyWakesASuspendedEndpointAtTheSameAddress() throws Exception {
        MovableClock clock = new MovableClock();
        int firstPort = LoopbackPort.freeRange(10);
        ProxySettings proxy = ProxySettings.of("127.0.0.1", new PortRange(firstPort, firstPort + 9));
        LocalFleet fleet = HOSTS.start(tmp, ControlLoop.Settings.DEFAULT,
                config -> config.withProxy(Optional.of(proxy)).withClock(clock), UnaryOperator.identity()).fleet();
        fleet.apply(ENDPOINT);
        String address = proxy.address(firstPort);
        Await.until(WAIT, "shop Running at the proxy's address", () -> {
            JsonNode shop = fleet.getJson("/api/v1/endpoints/shop");
            return "Running".equals(shop.at("/status/phase").asText()) && address.equals(shop.at("/status/address").asText());
        });
        assertThat(psql(address, "SELECT 'through the proxy'")).isEqualTo("through the proxy");
        String firstCompute = fleet.getJson("/api/v1/endpoints/shop").at("/status/compute").asText();

        clock.advance(Duration.ofMinutes(2));
        fleet.plane().controlLoop().resync();
        Await.until(WAIT, "shop suspended after idling", () -> {
            JsonNode shop = fleet.getJson("/api/v1/endpoints/shop");
            return "Suspended".equals(shop.at("/status/phase").asText());
        });
        assertThat(fleet.getJson("/api/v1/endpoints/shop").at("/status/address").asText()).isEqualTo(address);

        Instant asked = Instant.now();
        assertThat(psql(address, "SELECT 'awake'")).isEqualTo("awake");
        log.info("resume through the proxy: first query answered {} ms after connecting",
                Duration.between(asked, Instant.now()).toMillis());
        JsonNode resumed = Await.value(WAIT, "shop Running again", () -> {
            JsonNode shop = fleet.getJson("/api/v1/endpoints/shop");
            return "Running".equals(shop.at("/status/phase").asText()) ? shop : null;
        });
        assertThat(resumed.at("/status/compute").asText()).isNotEqualTo(firstCompute);
        assertThat(resumed.at("/status/address").asText()).isEqualTo(address);
    }

    /** psql's answer to one query, as libpq clients connect: the whole test fails on psql's error. */
    private static String psql(String address, String sql) throws IOException, InterruptedException {
        Process psql = new ProcessBuilder("psql", address, "-XAtc", sql).redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(psql.waitFor()).as("psql exit status; it said: " + out).isZero();
        return out;
    }
}
