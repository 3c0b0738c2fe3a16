package io.tidepool.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.agent.ComputeMetrics;
import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.sim.SimDriver;
import io.tidepool.sim.workload.Demand;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostAgentTest {
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final Duration START_DELAY = Duration.ofSeconds(5);

    private final Link link = new Link();
    /** The memory each compute holds: what a downscale must fit. */
    private volatile long usedMib = 256;
    private final SimDriver driver = new SimDriver("h1", endpoint -> t -> Demand.ofMebibytes(0.1, usedMib, 128), START_DELAY);
    private final HostAgent agent = new HostAgent(new Host(ObjectMeta.named("h1"),
            new Host.Spec("c1", new HostShape(new MilliCpu(8_000), new Bytes(32L << 30)), false), null),
            link, driver, Duration.ofSeconds(20));

    @Test
    void aComputeRunsAndItsStatusIsReportedOnce() {
        link.assign(compute("db-1", 7));
        agent.step(START);
        agent.step(START.plusSeconds(10));
        agent.step(START.plusSeconds(20));

        assertThat(driver.running()).containsExactly("db-1");
        assertThat(link.reports).extracting(Compute.Status::phase)
                .containsExactly(Compute.Phase.Starting, Compute.Phase.Running);
    }

    @Test
    void aNameThatComesBackAsANewObjectIsStartedAndReportedAfresh() {
        link.assign(compute("db-1", 7));
        agent.step(START);
        agent.step(START.plusSeconds(10));
        link.reports.clear();

        // Deleted and created again between two rounds: the agent never sees it unassigned.
        link.assign(compute("db-1", 12));
        agent.step(START.plusSeconds(20));
        agent.step(START.plusSeconds(30));

        assertThat(link.reports).extracting(Compute.Status::phase)
                .containsExactly(Compute.Phase.Starting, Compute.Phase.Running);
        assertThat(link.status.get("db-1").phase()).isEqualTo(Compute.Phase.Running);
    }

    @Test
    void aComputeItsDriverCannotRunSaysSoAndSinceWhenUntilItIsGone() {
        driver.failStartsOf(compute -> compute.name().equals("db-1"));
        link.assign(compute("db-1", 7));
        agent.step(START);
        agent.step(START.plusSeconds(10));
        agent.step(START.plusSeconds(20));

        Compute.Status status = link.status.get("db-1");
        assertThat(status.phase()).isEqualTo(Compute.Phase.Failed);
        assertThat(status.conditions()).singleElement().satisfies(condition -> {
            assertThat(condition.type()).isEqualTo(Compute.CANNOT_RUN);
            assertThat(condition.message()).contains("never starts");
            assertThat(condition.lastTransitionTime()).as("failing since its first report").isEqualTo(START);
        });

        link.assign(compute("db-1", 12));
        driver.failStartsOf(compute -> false);
        agent.step(START.plusSeconds(30));
        agent.step(START.plusSeconds(40));
        assertThat(link.status.get("db-1").phase()).isEqualTo(Compute.Phase.Running);
        assertThat(link.status.get("db-1").conditions()).as("a new object starts with no failure").isEmpty();
    }

    @Test
    void aRefusedDownscaleThatThePlanePutsBackIsAskedAfreshTheNextTime() {
        link.assign(compute("db-1", 7, Cu.ofWhole(1)));
        agent.step(START);
        agent.step(START.plusSeconds(10));
        usedMib = 1500;

        link.assign(compute("db-1", 7, Cu.QUARTER));
        agent.step(START.plusSeconds(20));
        assertThat(lastReport().conditions()).extracting(Condition::type).containsExactly(HostAgent.DOWNSCALE_REFUSED);

        link.assign(compute("db-1", 7, Cu.ofWhole(1)));
        agent.step(START.plusSeconds(30));
        assertThat(lastReport().conditions()).as("the refusal is answered by the put-back").isEmpty();

        usedMib = 256;
        link.assign(compute("db-1", 7, Cu.QUARTER));
        agent.step(START.plusSeconds(40));
        assertThat(lastReport().cu()).as("the same size asked again, now that it fits").isEqualTo(Cu.QUARTER);
    }

    private Compute.Status lastReport() {
        return link.reports.get(link.reports.size() - 1);
    }

    private static Compute compute(String name, long createRevision) {
        return compute(name, createRevision, Cu.ofQuarters(2));
    }

    private static Compute compute(String name, long createRevision, Cu cu) {
        return new Compute(ObjectMeta.named(name).withRevisions(createRevision, createRevision),
                new Compute.Spec("db", "h1", cu, Compute.Role.primary, 1, null), null);
    }

    /** The control plane as the agent sees it: whatever is assigned, with the statuses reported since. */
    private static final class Link implements ControlPlaneLink {
        final List<Compute.Status> reports = new ArrayList<>();
        final Map<String, Compute.Status> status = new LinkedHashMap<>();
        private final Map<String, Compute> assigned = new LinkedHashMap<>();

        void assign(Compute compute) {
            assigned.put(compute.name(), compute);
            status.remove(compute.name());
        }

        @Override
        public void register(Host host) {
        }

        @Override
        public List<Compute> assigned(String host) {
            return assigned.values().stream().map(c -> c.withStatus(status.get(c.name()))).toList();
        }

        @Override
        public boolean report(String compute, Compute.Status reported) {
            reports.add(reported);
            status.put(compute, reported);
            return true;
        }

        @Override
        public void heartbeat(String host, Instant at, Map<String, ComputeMetrics> metrics) {
        }

        @Override
        public void requestUpscale(String compute, UpscaleRequest request) {
        }
    }
}
