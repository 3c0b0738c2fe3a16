package io.tidepool.buffer;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.buffer.BufferConditions.Shortfall;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pool buffer decision, pure: keep a cell's spare (free room below the watermark on ready
 * schedulable hosts) at least at its target by asking the provider for hosts, and give back hosts
 * that have been empty for the cool-down once the spare stays at the target without them.
 *
 * <p>Requests count what is already on its way (requests in flight, joining hosts) so a slow
 * provider is not asked twice, never take the cell past {@code maxHosts}, and back off
 * exponentially while the provider fails. Releases wait until nothing is on its way and the
 * provider answers: while it fails, the empty hosts are the buffer the cell lives on.
 */
public final class BufferPolicy {
    private static final Comparator<BufferHost> LONGEST_EMPTY_FIRST =
            Comparator.comparing(BufferHost::emptySince).thenComparing(BufferHost::name);
    private static final int NAMES_SHOWN = 3;

    private BufferPolicy() {
    }

    private record Step(int request, List<String> release, Shortfall shortfall, String why, Duration recheckAfter) {
        static Step hold(Shortfall shortfall, String why, Duration recheckAfter) {
            return new Step(0, List.of(), shortfall, why, recheckAfter);
        }
    }

    public static BufferDecision decide(BufferInput in, Instant now) {
        Cu spare = spare(in);
        Cu coming = coming(in);
        Step step;
        if (spare.compareTo(in.spareTarget()) >= 0) {
            step = shrink(in, spare, now);
        } else if (spare.plus(coming).compareTo(in.spareTarget()) >= 0) {
            step = Step.hold(in.provider().failing() ? Shortfall.PROVIDER_FAILING : Shortfall.DEPLETED,
                    "waiting for " + onTheWay(in), null);
        } else {
            step = refill(in, in.spareTarget().minus(spare).minus(coming), now);
        }
        String explanation = "spare " + spare + "/" + in.spareTarget() + " CU: " + step.why();
        return new BufferDecision(step.request(), step.release(), spare,
                BufferConditions.of(in, spare, step.shortfall(), now), explanation, step.recheckAfter());
    }

    /** Free room below the watermark that placement can use now. */
    static Cu spare(BufferInput in) {
        long quarters = 0;
        for (BufferHost host : in.hosts()) {
            if (host.countsAsSpare()) {
                quarters += host.room().freeBelowWatermark().quarters();
            }
        }
        return Cu.ofQuarters(quarters);
    }

    /** The room of requests in flight and of hosts that joined but are not ready yet. */
    private static Cu coming(BufferInput in) {
        long quarters = Math.multiplyExact(in.newHostSpare().quarters(), (long) in.requestsInFlight());
        for (BufferHost host : in.hosts()) {
            if (host.joining()) {
                quarters += host.room().freeBelowWatermark().quarters();
            }
        }
        return Cu.ofQuarters(quarters);
    }

    private static Step refill(BufferInput in, Cu missing, Instant now) {
        long perHost = in.newHostSpare().quarters();
        if (perHost == 0) {
            return Step.hold(Shortfall.DEPLETED, "a new host of " + in.hostCapacity() + " CU has no room below the watermark", null);
        }
        ProviderHealth provider = in.provider();
        if (provider.failing()) {
            Instant retryAt = provider.lastFailure().plus(in.requestBackoff().after(provider.consecutiveFailures()));
            if (now.isBefore(retryAt)) {
                Duration wait = Duration.between(now, retryAt);
                return Step.hold(Shortfall.PROVIDER_FAILING, "provider failed " + provider.consecutiveFailures()
                        + " times in a row (" + provider.lastFailureReason() + "), next request in " + shown(wait), wait);
            }
        }
        long needed = (missing.quarters() + perHost - 1) / perHost;
        long room = Math.max(0, (long) in.maxHosts() - in.hosts().size() - in.requestsInFlight());
        int request = (int) Math.min(needed, room);
        Shortfall shortfall = provider.failing() ? Shortfall.PROVIDER_FAILING
                : request < needed ? Shortfall.AT_MAX_HOSTS : Shortfall.DEPLETED;
        String limit = "maxHosts " + in.maxHosts() + " (" + in.hosts().size() + " hosts, " + in.requestsInFlight() + " in flight)";
        if (request == 0) {
            return Step.hold(shortfall, "at " + limit + ", requesting none", null);
        }
        String why = "requesting " + hosts(request) + " of " + in.hostCapacity() + " CU"
                + (in.requestsInFlight() > 0 ? " (" + in.requestsInFlight() + " in flight)" : "")
                + (request < needed ? ", capped by " + limit : "");
        return new Step(request, List.of(), shortfall, why, null);
    }

    private static Step shrink(BufferInput in, Cu spare, Instant now) {
        Shortfall shortfall = Shortfall.NONE;
        List<BufferHost> empty = in.hosts().stream()
                .filter(h -> h.countsAsSpare() && h.isEmpty())
                .sorted(LONGEST_EMPTY_FIRST)
                .toList();
        if (spare.equals(in.spareTarget())) {
            return Step.hold(shortfall, "at target", null);
        }
        if (empty.isEmpty()) {
            return Step.hold(shortfall, "above target, no empty host to give back", null);
        }
        if (in.requestsInFlight() > 0 || in.hosts().stream().anyMatch(BufferHost::joining)) {
            return Step.hold(shortfall, "keeping empty hosts, " + onTheWay(in) + " on the way", null);
        }
        if (in.provider().failing()) {
            return Step.hold(shortfall, "keeping empty hosts while the provider is failing", null);
        }
        List<String> release = new ArrayList<>();
        Duration recheckAfter = null;
        long left = spare.quarters();
        for (BufferHost host : empty) {
            long after = left - host.room().freeBelowWatermark().quarters();
            if (after < in.spareTarget().quarters()) {
                continue;
            }
            Instant cooledAt = host.emptySince().plus(in.coolDown());
            if (now.isBefore(cooledAt)) {
                Duration wait = Duration.between(now, cooledAt);
                recheckAfter = recheckAfter == null || wait.compareTo(recheckAfter) < 0 ? wait : recheckAfter;
                continue;
            }
            release.add(host.name());
            left = after;
        }
        if (release.isEmpty()) {
            return Step.hold(shortfall, recheckAfter == null ? "above target, every empty host is needed for it"
                    : "above target, an empty host may go in " + shown(recheckAfter), recheckAfter);
        }
        String why = "releasing " + hosts(release.size()) + " empty for " + shown(in.coolDown())
                + " or more: " + names(release) + "; spare after " + Cu.ofQuarters(left) + " CU";
        return new Step(0, release, shortfall, why, recheckAfter);
    }

    /** Whole seconds, rounded up: "next request in 10s", never "9s999ms". */
    private static String shown(Duration duration) {
        return DurationFormat.format(Duration.ofSeconds((duration.toMillis() + 999) / 1000));
    }

    private static String onTheWay(BufferInput in) {
        long joining = in.hosts().stream().filter(BufferHost::joining).count();
        if (joining == 0) {
            return hosts(in.requestsInFlight()) + " in flight";
        }
        return hosts(in.requestsInFlight() + joining) + " (" + in.requestsInFlight() + " in flight, " + joining + " joining)";
    }

    private static String hosts(long n) {
        return n + (n == 1 ? " host" : " hosts");
    }

    private static String names(List<String> names) {
        if (names.size() <= NAMES_SHOWN) {
            return String.join(", ", names);
        }
        return String.join(", ", names.subList(0, NAMES_SHOWN)) + " and " + (names.size() - NAMES_SHOWN) + " more";
    }
}
