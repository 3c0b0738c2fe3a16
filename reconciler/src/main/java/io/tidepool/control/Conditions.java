package io.tidepool.control;

import io.tidepool.api.resource.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The condition types controllers report, and how a list of them is updated: one condition per
 * type, whose transition time changes only when its status does (as in Kubernetes), so that a
 * controller that says the same thing again writes nothing.
 */
public final class Conditions {
    /** Endpoint: whether its compute is placed on a host. */
    public static final String SCHEDULED = "Scheduled";
    /** Compute: the guest refused the last downscale, it would not fit. */
    public static final String DOWNSCALE_REFUSED = "DownscaleRefused";
    /** Endpoint: suspended after being idle, until a resume request. */
    public static final String SUSPENDED = "Suspended";
    /** Endpoint: its compute runs Postgres other than its spec says, and a planned restart will fix it. */
    public static final String RESTART_PENDING = "RestartPending";
    /** Host: heartbeats arrive. */
    public static final String READY = "Ready";
    /** Cell: whether its spare is at the buffer's target, and if not, why. */
    public static final String BUFFER_READY = "BufferReady";
    /** Cell with a provider: whether the provider answers. */
    public static final String PROVIDER_READY = "ProviderReady";

    private Conditions() {
    }

    /** {@code conditions} with {@code condition} in place of the one of its type. */
    public static List<Condition> set(List<Condition> conditions, Condition condition) {
        List<Condition> result = new ArrayList<>(conditions.size() + 1);
        boolean replaced = false;
        for (Condition existing : conditions) {
            if (!existing.type().equals(condition.type())) {
                result.add(existing);
                continue;
            }
            replaced = true;
            boolean same = existing.status() == condition.status() && equal(existing.reason(), condition.reason())
                    && equal(existing.message(), condition.message());
            if (same) {
                result.add(existing);
            } else {
                result.add(existing.status() == condition.status()
                        ? new Condition(condition.type(), condition.status(), condition.reason(), condition.message(),
                                existing.lastTransitionTime())
                        : condition);
            }
        }
        if (!replaced) {
            result.add(condition);
        }
        return List.copyOf(result);
    }

    public static boolean isTrue(List<Condition> conditions, String type) {
        return conditions.stream().anyMatch(c -> c.type().equals(type) && c.status() == Condition.Status.True);
    }

    private static boolean equal(String a, String b) {
        return a == null ? b == null : a.equals(b);
    }
}
