package io.tidepool.server.hosts;

import static io.tidepool.server.hosts.OneHostFleet.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.control.ControlLoop;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler under real load, through the whole stack: pgbench's sessions make a 0.25 CU
 * endpoint's backends runnable beyond its CPU quota, the guest's load average rises, the autoscaler
 * grows the endpoint and the host agent rewrites its cgroup; with pgbench stopped it shrinks back
 * once a stabilisation window has agreed, and no further than its minimum. Skipped, saying why,
 * where the machine lacks root, cgroup v1 or Postgres 15.
 */
@Timeout(240)
class ScalingUnderLoadTest {
    private static final Logger log = LoggerFactory.getLogger(ScalingUnderLoadTest.class);
    private static final Cu MIN = Cu.QUARTER;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: busy}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: 2}}
            """;
    /**
     * A window of 15 s rather than 5 min. The load average still decays with its one-minute time
     * constant, so what keeps the shrink short is stopping the load as soon as the endpoint has
     * grown, while load1 is barely above the 0.225 that 0.25 CU allows (0.9 x 0.25): from there it
     * takes seconds, not minutes, to fall back under it.
     */
    private static final ScalingPolicy SCALING = ScalingPolicy.DEFAULT
            .withMetricsMaxAge(Duration.ofSeconds(5)).withStabilisationWindow(Duration.ofSeconds(15));
    /** Four runnable backends against a quarter of a CPU: load1 passes 0.225 within seconds. */
    private static final int CLIENTS = 4;

    @RegisterExtension
    static final OneHostFleets HOSTS = new OneHostFleets();

    @TempDir
    Path tmp;
    private OneHostFleet host;

    @Test
    void pgbenchGrowsTheEndpointAndOnceStoppedItShrinksBackToItsMinimumAndNoLower() throws Exception {
        host = HOSTS.start(tmp, ControlLoop.Settings.DEFAULT.withScaling(SCALING), UnaryOperator.identity());
        host.fleet().apply(ENDPOINT);
        JsonNode endpoint = host.awaitRunning("busy");
        SizeWatch sizes = new SizeWatch(host.fleet(), "busy", host.cgroupOf(endpoint));
        assertThat(sizes.sample().isAt(MIN)).as("starts at its minimum: %s", sizes.changes()).isTrue();
        String address = endpoint.at("/status/address").asText();
        Pgbench.initialise(address, 1, tmp.resolve("pgbench-init.log"), WAIT);

        Instant loaded = Instant.now();
        SizeWatch.Sample grown;
        try (Pgbench load = Pgbench.selectOnly(address, CLIENTS, WAIT, tmp.resolve("pgbench.log"))) {
            grown = sizes.await("busy grown under pgbench", sample -> {
                assertThat(load.running()).as("pgbench runs: %s", load.output()).isTrue();
                return sample.cu().compareTo(MIN) > 0 && sample.isAt(sample.cu());
            });
        }
        Instant unloaded = Instant.now();
        SizeWatch.Sample shrunk = sizes.await("busy back at its minimum without load", sample -> sample.isAt(MIN));
        // The autoscaler, on fresh metrics, then keeps it there rather than going lower.
        Await.until(WAIT, "the autoscaler holding busy at its minimum", () -> {
            JsonNode decision = sizes.latestDecision();
            sizes.sample();
            return "HOLD".equals(decision.path("direction").asText()) && "at-goal".equals(decision.path("reason").asText())
                    && MIN.equals(Cu.parse(decision.path("toCu").asText()));
        });

        assertThat(sizes.sample().isAt(MIN)).as("ends at its minimum: %s", sizes.changes()).isTrue();
        assertThat(sizes.smallestCu()).as("the status never went below the minimum: %s", sizes.changes()).isEqualTo(MIN);
        assertThat(sizes.smallestFiles().atLeast(MIN)).as("nor did the cgroup files: %s", sizes.changes()).isTrue();
        log.info("busy grew to {} CU {} ms into pgbench, and shrank back {} ms after it stopped:\n{}", grown.cu(),
                Duration.between(loaded, grown.at()).toMillis(), Duration.between(unloaded, shrunk.at()).toMillis(),
                sizes.changes());
    }
}
