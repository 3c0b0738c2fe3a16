package io.tidepool.api.validation;

import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.HostShape;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant database as declared: its cell, its compute range, when it may suspend. Postgres and the
 * restart window have rules of their own.
 */
final class EndpointRules {
    /** Suspending sooner than this would stop databases between two queries of one session. */
    static final Duration MIN_SUSPEND_AFTER = Duration.ofMinutes(1);
    /** Longer than a week is "never", which is written by leaving suspendAfter out. */
    static final Duration MAX_SUSPEND_AFTER = Duration.ofDays(7);

    private EndpointRules() {
    }

    static void check(ManifestDocument document, Endpoint endpoint, Map<String, Cell> cells, List<ManifestError> errors) {
        Endpoint.Spec spec = endpoint.spec();
        if (spec == null) {
            errors.add(document.error("spec", "missing spec: expected at least cell and compute, like"
                    + " {cell: eu-1a, compute: {minCu: 0.25, maxCu: 4}}"));
            return;
        }
        Optional<Cell> cell = CellRules.reference(document, "spec.cell", spec.cell(), cells, errors);
        checkCompute(document, spec.compute(), cell, spec.cell(), errors);
        PostgresRules.check(document, spec.postgres(), errors);
        checkSuspendAfter(document, spec.suspendAfter(), errors);
        if (spec.restartWindow() != null) {
            RestartWindowRules.check(document, spec.restartWindow(), errors);
        }
    }

    private static void checkCompute(ManifestDocument document, Endpoint.ComputeRange compute, Optional<Cell> cell,
                                     String cellName, List<ManifestError> errors) {
        if (compute == null) {
            errors.add(document.error("spec.compute", "missing compute: expected the CU range, like {minCu: 0.25, maxCu: 4}"));
            return;
        }
        if (compute.minCu() == null) {
            errors.add(document.error("spec.compute.minCu", "missing minCu: expected the smallest size in CU, like 0.25"));
        } else if (compute.minCu().compareTo(Cu.QUARTER) < 0) {
            errors.add(document.error("spec.compute.minCu", "expected at least 0.25 CU, got " + compute.minCu()
                    + "; to scale to zero when idle, set suspendAfter"));
        }
        if (compute.maxCu() == null) {
            errors.add(document.error("spec.compute.maxCu", "missing maxCu: expected the largest size in CU, like 4"));
            return;
        }
        if (compute.minCu() != null && compute.minCu().compareTo(compute.maxCu()) > 0) {
            errors.add(document.error("spec.compute.minCu", "expected at most maxCu (" + compute.maxCu() + "), got "
                    + compute.minCu()));
        }
        HostShape template = cell.map(Cell::spec).map(Cell.Spec::hostTemplate).orElse(null);
        double cpuOvercommit = cell.map(Cell::spec).map(Cell.Spec::cpuOvercommit).orElse(Cell.DEFAULT_CPU_OVERCOMMIT);
        CellRules.capacityOf(template, cpuOvercommit).ifPresent(perHost -> {
            if (compute.maxCu().compareTo(perHost) > 0) {
                errors.add(document.error("spec.compute.maxCu", "expected at most " + perHost + " CU, what one host of cell "
                        + cellName + " holds (" + template.cpus() + " CPUs, " + template.memory() + "), got " + compute.maxCu()));
            }
        });
    }

    private static void checkSuspendAfter(ManifestDocument document, Duration suspendAfter, List<ManifestError> errors) {
        if (suspendAfter != null && (suspendAfter.compareTo(MIN_SUSPEND_AFTER) < 0 || suspendAfter.compareTo(MAX_SUSPEND_AFTER) > 0)) {
            errors.add(document.error("spec.suspendAfter", "expected from " + DurationFormat.format(MIN_SUSPEND_AFTER)
                    + " to " + DurationFormat.format(MAX_SUSPEND_AFTER) + ", or no suspendAfter to never suspend, got "
                    + DurationFormat.format(suspendAfter)));
        }
    }
}
