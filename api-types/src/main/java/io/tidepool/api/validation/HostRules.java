package io.tidepool.api.validation;

import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Host;
import java.util.List;
import java.util.Map;

/** A declared host: which cell it joins and how big it is. */
final class HostRules {

    private HostRules() {
    }

    static void check(ManifestDocument document, Host host, Map<String, Cell> cells, List<ManifestError> errors) {
        Host.Spec spec = host.spec();
        if (spec == null) {
            errors.add(document.error("spec", "missing spec: expected cell and capacity, like {cell: eu-1a, capacity: {cpus: 16, memory: 64Gi}}"));
            return;
        }
        CellRules.reference(document, "spec.cell", spec.cell(), cells, errors);
        if (spec.capacity() == null) {
            errors.add(document.error("spec.capacity", "missing capacity: expected the host's size, like {cpus: 16, memory: 64Gi}"));
        } else {
            CellRules.checkShape(document, "spec.capacity", spec.capacity(), errors);
        }
    }
}
