package io.tidepool.autoscale;

import static io.tidepool.autoscale.ScalingDecision.down;
import static io.tidepool.autoscale.ScalingDecision.hold;
import static io.tidepool.autoscale.ScalingDecision.up;

import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.autoscale.ScalingDecision.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The autoscaler's decision for one compute, a pure function of the policy, what is known of the
 * compute and {@code now}. In order:
 * <ol>
 *   <li>a granted size outside [minCu, maxCu] moves to the bound it crossed, whatever else holds,
 *       except that a shrink to the maximum waits out the refusal backoff like any other: the
 *       guest may refuse a lowered maximum too;</li>
 *   <li>a fresh call for memory from the guest that the granted size does not cover grows it at
 *       once, even with a resize in flight: to the memory asked for, and at least to twice the
 *       size, so that a compute filling memory fast reaches room in few steps;</li>
 *   <li>while the host has not confirmed the granted size, hold: the resize is in flight;</li>
 *   <li>without a fresh sample, hold: never shrink blind;</li>
 *   <li>grow at once to the latest sample's goal, within the bounds, however many steps that is;</li>
 *   <li>shrink only when this leader has watched a whole stabilisation window, the guest has not
 *       refused a downscale recently nor called for memory within the window, the window has no
 *       gap in metrics, and even the highest goal of the window is below the granted size; then
 *       shrink to that highest goal, so that a spike anywhere in the window keeps the size (no
 *       oscillation).</li>
 * </ol>
 */
public final class Autoscaler {

    private Autoscaler() {
    }

    public static ScalingDecision decide(ScalingPolicy policy, ScalingInput input, Instant now) {
        Cu granted = input.granted();
        if (granted.compareTo(input.minCu()) < 0) {
            return up(granted, input.minCu(), Reason.BOUNDS, "below the minimum " + input.minCu() + " CU");
        }
        if (granted.compareTo(input.maxCu()) > 0) {
            String above = "above the maximum " + input.maxCu() + " CU";
            return refusedRecently(policy, input, above + ", but ", now)
                    .orElseGet(() -> down(granted, input.maxCu(), Reason.BOUNDS, above));
        }
        if (input.applied() == null) {
            return hold(granted, Reason.IN_FLIGHT, "waiting for the host to report its first size");
        }
        UpscaleRequest request = input.request();
        if (request != null && request.neededBytes() > granted.memory().value()
                && Duration.between(request.at(), now).compareTo(policy.metricsMaxAge()) <= 0) {
            return answer(input, request);
        }
        if (!input.applied().equals(granted)) {
            return hold(granted, Reason.IN_FLIGHT, "resize from " + input.applied() + " CU in flight");
        }
        Optional<Goal> latest = input.goals().latest();
        if (latest.isEmpty()) {
            return hold(granted, Reason.STALE_METRICS, "no metrics received in "
                    + elapsed(Duration.between(input.goals().observingSince(), now)));
        }
        Duration age = Duration.between(latest.get().sample().at(), now);
        if (age.compareTo(policy.metricsMaxAge()) > 0) {
            return hold(granted, Reason.STALE_METRICS, "metrics are " + elapsed(age) + " old (stale after "
                    + setting(policy.metricsMaxAge()) + ")");
        }
        return decideOnFreshGoal(policy, input, latest.get(), now);
    }

    private static ScalingDecision answer(ScalingInput input, UpscaleRequest request) {
        Cu granted = input.granted();
        long quarterBytes = Cu.MEMORY_BYTES_PER_CU / 4;
        Cu asked = Cu.ofQuarters((request.neededBytes() + quarterBytes - 1) / quarterBytes);
        Cu target = input.clamp(asked.max(granted.plus(granted)).max(granted.plus(Cu.QUARTER)));
        String why = "the guest asks for " + (request.neededBytes() >> 20) + " MiB ("
                + (request.reason().isEmpty() ? "memory pressure" : request.reason()) + ")";
        if (target.compareTo(granted) <= 0) {
            return hold(granted, Reason.AT_MAX, why + ", the maximum is " + input.maxCu() + " CU");
        }
        return up(granted, target, Reason.PRESSURE, why);
    }

    private static ScalingDecision decideOnFreshGoal(ScalingPolicy policy, ScalingInput input, Goal latest, Instant now) {
        Cu granted = input.granted();
        Cu goal = input.clamp(latest.total());
        int comparison = goal.compareTo(granted);
        if (comparison > 0) {
            String capped = goal.equals(latest.total()) ? ""
                    : " (goal " + latest.total() + " CU, capped at the maximum " + input.maxCu() + " CU)";
            return up(granted, goal, Reason.drivenBy(latest.dominant()), latest.whyAbove(granted) + capped);
        }
        if (comparison == 0) {
            return holdAtGoal(input, latest);
        }
        return decideDownscale(policy, input, goal, now);
    }

    private static ScalingDecision holdAtGoal(ScalingInput input, Goal latest) {
        String goal = "goal " + latest.total() + " CU (" + latest.observed() + ")";
        if (latest.total().compareTo(input.maxCu()) > 0) {
            return hold(input.granted(), Reason.AT_MAX, goal + ", the maximum is " + input.maxCu() + " CU");
        }
        String floor = latest.total().compareTo(input.minCu()) < 0 ? ", the minimum is " + input.minCu() + " CU" : "";
        return hold(input.granted(), Reason.AT_GOAL, goal + floor);
    }

    private static ScalingDecision decideDownscale(ScalingPolicy policy, ScalingInput input, Cu goal, Instant now) {
        Cu granted = input.granted();
        Duration window = policy.stabilisationWindow();
        String lower = "goal " + goal + " CU, but ";
        Duration watched = Duration.between(input.goals().observingSince(), now);
        if (watched.compareTo(window) < 0) {
            return hold(granted, Reason.OBSERVING, lower + "metrics watched for only " + elapsed(watched)
                    + " of the " + setting(window) + " window");
        }
        Optional<ScalingDecision> refused = refusedRecently(policy, input, lower, now);
        if (refused.isPresent()) {
            return refused.get();
        }
        Instant windowStart = now.minus(window);
        if (input.lastPressureAt() != null && input.lastPressureAt().isAfter(windowStart)) {
            return hold(granted, Reason.STABILISING, lower + "the guest called for memory "
                    + elapsed(Duration.between(input.lastPressureAt(), now)) + " ago, within the " + setting(window) + " window");
        }
        Duration gap = input.goals().longestGapBetween(windowStart, now);
        Optional<RecentGoals.Peak> peak = input.goals().peakSince(windowStart);
        if (gap.compareTo(policy.metricsMaxAge()) > 0 || peak.isEmpty()) {
            return hold(granted, Reason.METRICS_GAP, lower + "the last " + setting(window) + " had a "
                    + elapsed(gap) + " gap in metrics (more than " + setting(policy.metricsMaxAge()) + ")");
        }
        Cu target = input.clamp(peak.get().goal());
        String highest = "the highest goal in the last " + setting(window) + " was " + peak.get().goal()
                + " CU (" + peak.get().describe() + ")";
        if (target.compareTo(granted) >= 0) {
            return hold(granted, Reason.STABILISING, lower + highest);
        }
        String floor = target.equals(peak.get().goal()) ? "" : ", the minimum is " + input.minCu() + " CU";
        return down(granted, target, Reason.drivenBy(peak.get().dominant()), highest + floor);
    }

    /** A hold while the guest's last refusal is more recent than the backoff; {@code why} starts its explanation. */
    private static Optional<ScalingDecision> refusedRecently(ScalingPolicy policy, ScalingInput input, String why,
                                                             Instant now) {
        if (input.lastRefusalAt() == null) {
            return Optional.empty();
        }
        Duration sinceRefusal = Duration.between(input.lastRefusalAt(), now);
        if (sinceRefusal.compareTo(policy.refusalBackoff()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(hold(input.granted(), Reason.REFUSED_RECENTLY, why + "the guest refused a downscale "
                + elapsed(sinceRefusal) + " ago (retry after " + setting(policy.refusalBackoff()) + ")"));
    }

    /** A measured time, to the second (or the millisecond below one): "45s", "2m10s", "0s" if negative. */
    private static String elapsed(Duration duration) {
        if (duration.isNegative()) {
            return "0s";
        }
        ChronoUnit unit = duration.compareTo(Duration.ofSeconds(1)) >= 0 ? ChronoUnit.SECONDS : ChronoUnit.MILLIS;
        return DurationFormat.format(duration.truncatedTo(unit));
    }

    /** A policy duration as an operator would write it: "5m", "30s". */
    private static String setting(Duration duration) {
        return DurationFormat.format(duration.truncatedTo(ChronoUnit.MILLIS));
    }
}
