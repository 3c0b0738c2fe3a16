package io.tidepool.buffer;

import io.tidepool.api.resource.HostShape;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A provider made up in process, for fleet simulations and demos: every request takes
 * {@code latency}; during a scheduled outage requests are refused at once and those in flight fail
 * when they would have completed; otherwise a request fails with probability {@code failureRate},
 * decided by the seed and the request's number alone, so a run replays exactly. Hosts are named
 * {@code <cell>-sim-<n>}, numbered per cell in the order they are made.
 *
 * <p>Polling works during an outage (it reports what happened), so a cell learns at once that its
 * requests failed. Not thread-safe: a simulation drives it from one thread.
 */
public final class SimulatedProvider implements HostProvider {

    /**
     * @param latency     how long every request takes to complete
     * @param outages     when the provider cannot be reached
     * @param failureRate the chance, in [0, 1], that a request completing outside an outage fails anyway
     * @param seed        decides which requests fail
     */
    public record Settings(Duration latency, List<Outage> outages, double failureRate, long seed) {
        public Settings {
            if (latency.isNegative()) {
                throw new IllegalArgumentException("provisioning latency cannot be negative: " + latency);
            }
            if (!(failureRate >= 0 && failureRate <= 1)) {
                throw new IllegalArgumentException("failure rate must be in [0, 1], got " + failureRate);
            }
            outages = List.copyOf(outages);
        }

        public static Settings reliable(Duration latency) {
            return new Settings(latency, List.of(), 0, 0);
        }
    }

    private record Pending(long number, String requestId, String cell, HostShape shape, Instant completesAt) {
    }

    private static final Comparator<Pending> BY_COMPLETION =
            Comparator.comparing(Pending::completesAt).thenComparingLong(Pending::number);

    private final Settings settings;
    private final NavigableSet<Pending> inFlight = new TreeSet<>(BY_COMPLETION);
    private final Map<String, Integer> hostsMadePerCell = new HashMap<>();
    private final Set<String> held = new HashSet<>();
    private long requestsTaken;

    public SimulatedProvider(Settings settings) {
        this.settings = settings;
    }

    @Override
    public ProviderReply request(String cell, HostShape shape, Instant now) {
        Optional<Outage> outage = outageAt(now);
        if (outage.isPresent()) {
            return new ProviderReply.Refused("provider unreachable (" + outage.get() + ")");
        }
        long number = ++requestsTaken;
        String requestId = "sim-request-" + number;
        inFlight.add(new Pending(number, requestId, cell, shape, now.plus(settings.latency())));
        return new ProviderReply.Accepted(requestId);
    }

    @Override
    public List<ProvisionOutcome> poll(Instant now) {
        List<ProvisionOutcome> outcomes = new ArrayList<>();
        while (!inFlight.isEmpty() && !inFlight.first().completesAt().isAfter(now)) {
            outcomes.add(complete(inFlight.pollFirst()));
        }
        return outcomes;
    }

    @Override
    public boolean release(String host, Instant now) {
        if (outageAt(now).isPresent()) {
            return false;
        }
        held.remove(host);
        return true;
    }

    /** The hosts this provider has made and not taken back. */
    public Set<String> hosts() {
        return Set.copyOf(held);
    }

    /** Requests acknowledged whose outcome has not been polled yet. */
    public int requestsInFlight() {
        return inFlight.size();
    }

    private ProvisionOutcome complete(Pending pending) {
        Optional<Outage> outage = outageAt(pending.completesAt());
        if (outage.isPresent()) {
            return new ProvisionOutcome.Failed(pending.requestId(), pending.cell(), pending.completesAt(),
                    "provider failed during the " + outage.get());
        }
        if (failsByChance(pending.number())) {
            return new ProvisionOutcome.Failed(pending.requestId(), pending.cell(), pending.completesAt(),
                    "provider could not provision the host (simulated failure)");
        }
        int n = hostsMadePerCell.merge(pending.cell(), 1, Integer::sum);
        String host = pending.cell() + "-sim-" + n;
        held.add(host);
        return new ProvisionOutcome.Provisioned(pending.requestId(), pending.cell(), pending.completesAt(), host, pending.shape());
    }

    private boolean failsByChance(long requestNumber) {
        // A generator per request, seeded from (seed, number): the same request fails in every replay,
        // however the polls fall.
        return settings.failureRate() > 0
                && new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + requestNumber).nextDouble() < settings.failureRate();
    }

    private Optional<Outage> outageAt(Instant t) {
        return settings.outages().stream().filter(o -> o.covers(t)).findFirst();
    }
}
