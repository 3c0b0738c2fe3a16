package io.tidepool.buffer;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Condition;
import io.tidepool.control.Conditions;
import java.time.Instant;
import java.util.List;

/**
 * The conditions a cell reports about its buffer: {@code BufferReady} (is the spare at its target,
 * and if not, why) and {@code ProviderReady} (is the provider answering), so an outage shows even
 * while the buffer still covers it.
 */
final class BufferConditions {
    static final String BUFFER_READY = Conditions.BUFFER_READY;
    static final String PROVIDER_READY = Conditions.PROVIDER_READY;

    /** Why the spare is below its target. */
    enum Shortfall {
        NONE("SpareAtTarget"),
        /** Hosts are requested or on their way. */
        DEPLETED("BufferDepleted"),
        /** The provider fails: the cell lives on its buffer until it answers again. */
        PROVIDER_FAILING("ProviderFailing"),
        /** More hosts would pass maxHosts. */
        AT_MAX_HOSTS("AtMaxHosts");

        final String reason;

        Shortfall(String reason) {
            this.reason = reason;
        }
    }

    private BufferConditions() {
    }

    static List<Condition> of(BufferInput in, Cu spare, Shortfall shortfall, Instant now) {
        Condition.Status status = shortfall == Shortfall.NONE ? Condition.Status.True : Condition.Status.False;
        Condition buffer = condition(in, BUFFER_READY, status, shortfall.reason, bufferMessage(in, spare, shortfall), now);
        return List.of(buffer, provider(in, now));
    }

    /** Changes only when the spare or the situation does, never with the clock: a condition is written when it changes. */
    private static String bufferMessage(BufferInput in, Cu spare, Shortfall shortfall) {
        String level = "spare " + spare + "/" + in.spareTarget() + " CU";
        return switch (shortfall) {
            case NONE -> level;
            case DEPLETED -> level + " (below target)";
            case PROVIDER_FAILING -> level + "; the provider is failing, starts and upscales use what is left";
            case AT_MAX_HOSTS -> level + "; the cell is at maxHosts " + in.maxHosts();
        };
    }

    private static Condition provider(BufferInput in, Instant now) {
        ProviderHealth health = in.provider();
        if (!health.failing()) {
            String message = health.lastSuccess() == null ? "no host requested yet" : "last host provisioned at " + health.lastSuccess();
            return condition(in, PROVIDER_READY, Condition.Status.True, "ProviderResponding", message, now);
        }
        // An absolute time, not "n seconds ago": the message changes only when something happens.
        String message = health.consecutiveFailures() + " failures in a row, the last at " + health.lastFailure()
                + ": " + health.lastFailureReason();
        return condition(in, PROVIDER_READY, Condition.Status.False, Shortfall.PROVIDER_FAILING.reason, message, now);
    }

    /** Keeps the previous transition time while the status stays the same, as Kubernetes does. */
    private static Condition condition(BufferInput in, String type, Condition.Status status, String reason, String message, Instant now) {
        Instant since = in.previousConditions().stream()
                .filter(c -> type.equals(c.type()) && c.status() == status && c.lastTransitionTime() != null)
                .map(Condition::lastTransitionTime)
                .findFirst()
                .orElse(now);
        return new Condition(type, status, reason, message, since);
    }
}
