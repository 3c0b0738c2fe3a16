package io.tidepool.server.console;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.switchover.Switchover;
import java.util.function.UnaryOperator;

/**
 * What the console shows of a compute: where it runs, its size granted and confirmed, its role, and
 * what a replacement is for ({@code restart} or {@code migration}; null for a primary).
 */
public record ComputeRow(String name, String endpoint, String host, Cu cu, Cu appliedCu, Compute.Role role,
                         Compute.Phase phase, String purpose) {

    static ComputeRow of(Compute compute, UnaryOperator<String> canonical) {
        Compute.Status s = compute.status();
        return new ComputeRow(compute.name(), compute.spec().endpoint(), canonical.apply(compute.spec().host()),
                compute.spec().cu(), s == null ? null : s.cu(), compute.spec().role(),
                s == null ? null : s.phase(),
                Switchover.Purpose.of(compute).map(Enum::name).orElse(null));
    }

    /** A replacement (for a restart or a migration) or a primary fenced for a switch. */
    public boolean moving() {
        return purpose != null || role == Compute.Role.fenced;
    }

    /** What the compute holds of its host: what it was granted, or what it still runs with if more. */
    public Cu heldCu() {
        if (cu == null) {
            return appliedCu == null ? Cu.ZERO : appliedCu;
        }
        return appliedCu == null ? cu : cu.max(appliedCu);
    }
}
