package io.tidepool.api.validation;

import io.tidepool.api.codec.FieldLocator;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.Suggestion;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.HostShape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** A cell's own settings, host shapes, and references to a cell from hosts and endpoints. */
final class CellRules {
    static final double MAX_CPU_OVERCOMMIT = 16;

    private CellRules() {
    }

    static void check(ManifestDocument document, Cell cell, List<ManifestError> errors) {
        Cell.Spec spec = cell.spec();
        if (spec == null) {
            errors.add(document.error("spec", "missing spec: expected at least hostTemplate, like {hostTemplate: {cpus: 16, memory: 64Gi}}"));
            return;
        }
        if (spec.hostTemplate() == null) {
            errors.add(document.error("spec.hostTemplate",
                    "missing hostTemplate: expected the shape of a new host, like {cpus: 16, memory: 64Gi}"));
        } else {
            checkShape(document, "spec.hostTemplate", spec.hostTemplate(), errors);
        }
        if (spec.watermark() <= 0 || spec.watermark() > 1) {
            errors.add(document.error("spec.watermark", "expected a fraction of a host above 0 and at most 1, like 0.9, got "
                    + spec.watermark()));
        }
        if (spec.cpuOvercommit() < 1 || spec.cpuOvercommit() > MAX_CPU_OVERCOMMIT) {
            errors.add(document.error("spec.cpuOvercommit", "expected a factor from 1 (no overcommit) to "
                    + (int) MAX_CPU_OVERCOMMIT + ", got " + spec.cpuOvercommit()));
        }
        if (spec.maxHosts() < 1) {
            errors.add(document.error("spec.maxHosts", "expected at least 1 host, got " + spec.maxHosts()));
        } else if (spec.hostTemplate() != null) {
            checkBufferFits(document, spec, errors);
        }
    }

    /** A buffer the cell could never hold, even with every host it may have, is a typo. */
    private static void checkBufferFits(ManifestDocument document, Cell.Spec spec, List<ManifestError> errors) {
        Optional<Cu> capacity = capacityOf(spec.hostTemplate(), spec.cpuOvercommit());
        if (capacity.isEmpty()) {
            return;
        }
        Cu perHost = capacity.get();
        Cu mostCellCanHold;
        try {
            mostCellCanHold = Cu.ofQuarters(Math.multiplyExact(perHost.quarters(), (long) spec.maxHosts()));
        } catch (ArithmeticException e) {
            return; // more than any buffer can ask for
        }
        if (spec.buffer().spareCu().compareTo(mostCellCanHold) > 0 && !perHost.isZero()) {
            errors.add(document.error("spec.buffer.spareCu", "expected at most " + mostCellCanHold + " CU, what "
                    + spec.maxHosts() + " hosts of " + perHost + " CU hold, got " + spec.buffer().spareCu()));
        }
    }

    /** What one host of this shape holds, when both its CPUs and memory are known. */
    /** What one host of the shape grants in a cell with this CPU overcommit, as placement counts it. */
    static Optional<Cu> capacityOf(HostShape shape, double cpuOvercommit) {
        // A factor out of range is reported on its own field; the other checks count without it.
        double factor = cpuOvercommit >= 1 && cpuOvercommit <= MAX_CPU_OVERCOMMIT ? cpuOvercommit : 1;
        return shape == null || shape.cpus() == null || shape.memory() == null ? Optional.empty()
                : Optional.of(shape.capacityCu(factor));
    }

    /** CPUs and memory both given and large enough for the smallest compute: one quarter step. */
    static void checkShape(ManifestDocument document, String field, HostShape shape, List<ManifestError> errors) {
        if (shape.cpus() == null || shape.cpus().millis() == 0) {
            errors.add(document.error(FieldLocator.field(field, "cpus"), "expected more than 0 CPUs, like 16, got "
                    + (shape.cpus() == null ? "nothing" : shape.cpus())));
        }
        if (shape.memory() == null || shape.memory().value() == 0) {
            errors.add(document.error(FieldLocator.field(field, "memory"), "expected more than 0 memory, like 64Gi, got "
                    + (shape.memory() == null ? "nothing" : shape.memory())));
        }
        boolean bothGiven = shape.cpus() != null && shape.memory() != null && shape.cpus().millis() > 0
                && shape.memory().value() > 0;
        if (bothGiven && shape.capacityCu().isZero()) {
            errors.add(document.error(field, "expected room for at least 0.25 CU (" + Cu.QUARTER.cpu() + " CPU and "
                    + Cu.QUARTER.memory() + " memory), got " + shape.cpus() + " CPUs and " + shape.memory()));
        }
    }

    /** The cell {@code name} at {@code field} refers to, reporting a missing or unknown one. */
    static Optional<Cell> reference(ManifestDocument document, String field, String name, Map<String, Cell> cells,
                                    List<ManifestError> errors) {
        if (name == null || name.isEmpty()) {
            errors.add(document.error(field, "missing cell: expected the name of the cell it belongs to"));
            return Optional.empty();
        }
        Cell cell = cells.get(name);
        if (cell == null) {
            errors.add(document.error(field, "expected the name of a cell in this manifest set or already applied, got \""
                    + name + "\", which is neither" + Suggestion.didYouMean(name, new TreeSet<>(cells.keySet()))));
        }
        return Optional.ofNullable(cell);
    }
}
