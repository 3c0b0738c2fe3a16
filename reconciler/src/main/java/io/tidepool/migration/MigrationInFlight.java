package io.tidepool.migration;

import io.tidepool.api.quantity.Cu;
import java.util.Objects;

/**
 * A migration already under way: it uses a slot, and its compute still holds {@code cu} on the
 * source until it finishes (the target's ledger already counts it, since admission raised it when
 * the migration started).
 */
public record MigrationInFlight(String compute, String source, String target, Cu cu) {
    public MigrationInFlight {
        Objects.requireNonNull(compute, "compute");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(cu, "cu");
    }
}
