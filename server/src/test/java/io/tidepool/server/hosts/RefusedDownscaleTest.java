package io.tidepool.server.hosts;

import static io.tidepool.server.hosts.OneHostFleet.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.autoscale.ScalingPolicy;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator lowers an endpoint's size while its compute holds memory that the smaller size could
 * not take, through the whole stack on real Postgres in real cgroups: the guest refuses, the size
 * stays, the endpoint's last decision says why, the autoscaler asks again only after its backoff,
 * and once the memory is freed the same lowering goes through. Skipped, saying why, where the
 * machine lacks root, cgroup v1 or Postgres 15.
 */
@Timeout(240)
class RefusedDownscaleTest {
    private static final Logger log = LoggerFactory.getLogger(RefusedDownscaleTest.class);
    private static final Cu ONE = Cu.ofWhole(1);
    private static final Cu QUARTER = Cu.QUARTER;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: holder}
            spec: {cell: local, compute: {minCu: %s, maxCu: %1$s}}
            """;
    /** 1.5 GiB: well within the 4 GiB of 1 CU, far above the 0.9 GiB that 0.25 CU leaves after the guest's margin. */
    private static final long HELD_MIB = 1536;
    /** Short windows and backoff, so that the retry after a refusal comes within seconds. */
    private static final ScalingPolicy SCALING = ScalingPolicy.DEFAULT.withMetricsMaxAge(Duration.ofSeconds(5))
            .withStabilisationWindow(Duration.ofSeconds(10)).withRefusalBackoff(Duration.ofSeconds(5));

    @RegisterExtension
    static final OneHostFleets HOSTS = new OneHostFleets();

    @TempDir
    Path tmp;
    private OneHostFleet host;

    @Test
    void aLoweringThatHeldMemoryWouldNotFitIsRefusedVisiblyAndGoesThroughOnceTheMemoryIsFreed() throws Exception {
        JsonNode endpoint = startAtOneCu();
        ComputeCgroup cgroup = host.cgroupOf(endpoint);
        SizeWatch sizes = new SizeWatch(host.fleet(), "holder", cgroup);

        JsonNode refused;
        JsonNode backingOff;
        JsonNode refusedAgain;
        try (MemoryHog hog = MemoryHog.holding(cgroup, HELD_MIB, WAIT)) {
            host.fleet().apply(ENDPOINT.formatted(QUARTER));
            refused = putBack(sizes.await("holder's status saying the guest refused", sample -> putBack(sample) != null));
            // The autoscaler takes no for an answer: it keeps the size and waits out its backoff before asking again.
            backingOff = awaitValue(sizes, "the autoscaler backing off after the refusal", () -> {
                JsonNode decision = sizes.latestDecision();
                return "refused-recently".equals(decision.path("reason").asText()) ? decision : null;
            });
            refusedAgain = putBack(sizes.await("the guest refusing again once the backoff has passed",
                    sample -> putBack(sample) != null && !putBack(sample).equals(refused)));
            assertThat(sizes.sample().isAt(ONE)).as("still 1 CU, files included: %s", sizes.changes()).isTrue();
            assertThat(sizes.smallestCu()).as("the status never left 1 CU: %s", sizes.changes()).isEqualTo(ONE);
            assertThat(sizes.smallestFiles().isOf(ONE)).as("nor did the cgroup files: %s", sizes.changes()).isTrue();
        }
        Instant freed = Instant.now();
        SizeWatch.Sample shrunk = sizes.await("holder at 0.25 CU once the memory is freed", sample -> sample.isAt(QUARTER));

        assertThat(refused.path("explanation").asText()).contains("refused: ").contains("does not fit 0.25 CU");
        assertThat(backingOff.path("explanation").asText()).contains("the guest refused a downscale");
        assertThat(Duration.between(at(refused), at(refusedAgain))).as("asked again only after the backoff: %s", sizes.changes())
                .isGreaterThanOrEqualTo(SCALING.refusalBackoff());
        assertThat(shrunk.status().at("/lastDecision/explanation").asText()).startsWith("downscale 1 -> 0.25 CU");
        assertThat(refusalCondition()).as("no refusal is reported any more").isNull();
        log.info("holder kept 1 CU while the memory was held, and was at 0.25 CU {} ms after it was freed:\n{}",
                Duration.between(freed, shrunk.at()).toMillis(), sizes.changes());
    }

    @Test
    void withoutTheHeldMemoryTheSameLoweringGoesThroughAtOnce() throws Exception {
        JsonNode endpoint = startAtOneCu();
        SizeWatch sizes = new SizeWatch(host.fleet(), "holder", host.cgroupOf(endpoint));

        host.fleet().apply(ENDPOINT.formatted(QUARTER));
        boolean[] refused = new boolean[1];
        sizes.await("holder at 0.25 CU", sample -> {
            refused[0] |= putBack(sample) != null || refusalCondition() != null;
            return sample.isAt(QUARTER);
        });

        assertThat(refused[0]).as("no refusal was ever reported: %s", sizes.changes()).isFalse();
    }

    private JsonNode startAtOneCu() throws Exception {
        host = HOSTS.start(tmp, ControlLoop.Settings.DEFAULT.withScaling(SCALING), UnaryOperator.identity());
        host.fleet().apply(ENDPOINT.formatted(ONE));
        JsonNode endpoint = host.awaitRunning("holder");
        assertThat(CgroupSize.of(host.cgroupOf(endpoint)).isOf(ONE)).as("starts at 1 CU").isTrue();
        return endpoint;
    }

    /** Waits for {@code value} while watching the size; failing, says what was seen and what describe shows. */
    private <T> T awaitValue(SizeWatch sizes, String what, Supplier<T> value) {
        try {
            return Await.value(WAIT, what, () -> {
                sizes.sample();
                return value.get();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; seen:\n" + sizes.changes() + "\ndescribe: "
                    + host.fleet().getJson("/api/v1/endpoints/holder/describe").toPrettyString(), e);
        }
    }

    /**
     * The endpoint's last decision when it was to put the size back after a refusal, or null: what
     * the operator sees (the compute's own condition only lasts until the agent sees the size back).
     */
    private static JsonNode putBack(SizeWatch.Sample sample) {
        JsonNode decision = sample.status().path("lastDecision");
        return decision.path("explanation").asText().startsWith("put back") ? decision : null;
    }

    private static Instant at(JsonNode decision) {
        return Instant.parse(decision.path("at").asText());
    }

    /** The DownscaleRefused condition of holder's compute, as describe shows it, or null. */
    private JsonNode refusalCondition() {
        JsonNode computes = host.fleet().getJson("/api/v1/endpoints/holder/describe").path("computes");
        for (JsonNode compute : computes) {
            for (JsonNode condition : compute.at("/status/conditions")) {
                if ("DownscaleRefused".equals(condition.path("type").asText())) {
                    return condition;
                }
            }
        }
        return null;
    }
}
