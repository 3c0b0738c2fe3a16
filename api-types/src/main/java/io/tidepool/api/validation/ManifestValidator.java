package io.tidepool.api.validation;

import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a manifest set as a whole: every field of every declared object, that names are unique in
 * the set, and that references lead to a cell. Pure: it reads only its arguments, so the CLI can run
 * it before sending and the server again against the cells in its store. Each error is placed at its
 * field through the document's {@link io.tidepool.api.codec.FieldLocator}.
 *
 * <p>Bounds chosen here, beyond the manifest contract: a host template must hold at least 0.25 CU;
 * a cell's buffer must fit in maxHosts hosts; suspendAfter is from 1m to 7d; a restart window lasts
 * more than 0s and at most 24h; Postgres settings through which Tidepool reaches the server (port,
 * listen_addresses, data_directory, ...) cannot be set, and values must be single lines.
 */
public final class ManifestValidator {

    /**
     * @param knownCells cells already applied, by name; a cell in {@code documents} takes precedence
     * @return every error found, in the order of the documents
     */
    public List<ManifestError> validate(List<ManifestDocument> documents, Map<String, Cell> knownCells) {
        Map<String, Cell> cells = new HashMap<>(knownCells);
        for (ManifestDocument document : documents) {
            if (document.resource() instanceof Cell cell && cell.metadata() != null && cell.name() != null) {
                cells.put(cell.name(), cell);
            }
        }
        List<ManifestError> errors = new ArrayList<>();
        Map<String, ManifestDocument> firstDeclared = new HashMap<>();
        for (ManifestDocument document : documents) {
            checkDocument(document, cells, errors);
            checkUnique(document, firstDeclared, errors);
        }
        return errors;
    }

    /**
     * What is wrong with {@code name} as the name of an object (a DNS label), or empty when nothing
     * is: for names given outside a manifest, like a host token's host.
     */
    public static Optional<String> nameProblem(String name) {
        if (MetadataRules.isDnsLabel(name)) {
            return Optional.empty();
        }
        return Optional.of("expected " + MetadataRules.DNS_LABEL_RULE + ", got \"" + name + "\""
                + MetadataRules.nearestDnsLabel(name == null ? "" : name).map(s -> "; did you mean " + s + "?").orElse(""));
    }

    private static void checkDocument(ManifestDocument document, Map<String, Cell> cells, List<ManifestError> errors) {
        Resource resource = document.resource();
        if (!resource.kind().declarable()) {
            errors.add(document.error("kind", resource.kind() + " objects are written by the system and cannot be"
                    + " applied: expected one of " + declarableKinds()));
            return;
        }
        MetadataRules.check(document, errors);
        if (resource instanceof Cell cell) {
            CellRules.check(document, cell, errors);
        } else if (resource instanceof Host host) {
            HostRules.check(document, host, cells, errors);
        } else if (resource instanceof Endpoint endpoint) {
            EndpointRules.check(document, endpoint, cells, errors);
        }
    }

    private static void checkUnique(ManifestDocument document, Map<String, ManifestDocument> firstDeclared,
                                    List<ManifestError> errors) {
        Resource resource = document.resource();
        if (resource.metadata() == null || resource.name() == null) {
            return;
        }
        ManifestDocument first = firstDeclared.putIfAbsent(resource.ref(), document);
        if (first != null) {
            errors.add(document.error("metadata.name", "expected each object once in a manifest set, got "
                    + resource.ref() + " again; first declared at " + first.locator().at("metadata.name")));
        }
    }

    private static String declarableKinds() {
        return String.join(", ", Arrays.stream(Kind.values()).filter(Kind::declarable).map(Kind::displayName).toList());
    }
}
