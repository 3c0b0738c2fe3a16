package io.tidepool.server.apply;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.ParsedManifests;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.api.validation.ManifestValidator;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import io.tidepool.manifests.plan.ApplyPlanner;
import io.tidepool.manifests.plan.DeclaredDiff;
import io.tidepool.manifests.plan.PlannedChange;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Compare;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import io.tidepool.store.Txn;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a manifest set as one store transaction: parse, validate against what is stored, plan,
 * then write every change at once, on the condition that nothing it read has changed meanwhile.
 * If something did, it starts over from the reads; a set with any error writes nothing.
 */
public final class ManifestApplier {
    private static final int MAX_ATTEMPTS = 5;

    private final ResourceRegistry registry;
    private final ManifestCodec codec;
    private final ManifestValidator validator;
    private final DeclaredDiff diff;
    private final LiveObjects liveObjects;
    private final Clock clock;

    public ManifestApplier(ResourceRegistry registry, ManifestCodec codec, Clock clock) {
        this.registry = registry;
        this.codec = codec;
        this.validator = new ManifestValidator();
        this.diff = new DeclaredDiff(codec);
        this.liveObjects = new LiveObjects(registry);
        this.clock = clock;
    }

    public ApplyResponse apply(List<ManifestFile> files, boolean dryRun) {
        List<ManifestDocument> documents = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        for (ManifestFile file : files) {
            ParsedManifests parsed = codec.decode(file.source(), file.text());
            documents.addAll(parsed.documents());
            errors.addAll(parsed.errors());
        }
        if (!errors.isEmpty()) {
            return new ApplyResponse(0, dryRun, List.of(), errors);
        }
        return apply(documents, dryRun, Map.of());
    }

    /**
     * @param expectedVersions for some objects ({@code Kind/name}), the resource version the caller
     *                         last saw; the apply is refused with {@link ApplyConflictException} if the
     *                         stored object has another
     */
    public ApplyResponse apply(List<ManifestDocument> documents, boolean dryRun, Map<String, Long> expectedVersions) {
        Store store = registry.store();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long readRevision = store.currentRevision();
            Map<String, Cell> storedCells = cellsByName(registry.listAll(Kind.CELL));
            List<ManifestError> errors = validator.validate(documents, storedCells);
            if (!errors.isEmpty()) {
                return new ApplyResponse(readRevision, dryRun, List.of(), errors);
            }
            List<Resource> declared = documents.stream().map(ManifestDocument::resource).toList();
            Map<String, Resource> live = liveObjects.read(declared);
            checkExpectedVersions(expectedVersions, live);
            List<PlannedChange> changes = ApplyPlanner.plan(declared, live, clock.instant());
            List<ObjectResult> results = changes.stream().map(this::result).toList();
            if (dryRun || changes.stream().noneMatch(PlannedChange::writes)) {
                return new ApplyResponse(readRevision, dryRun, results, List.of());
            }
            TxnResult written = store.txn(Txn.of(compares(changes, storedCells, declared), writes(changes)));
            if (written.succeeded()) {
                return new ApplyResponse(written.revision(), false, results, List.of());
            }
        }
        throw new ApplyConflictException("the objects kept changing while they were applied ("
                + MAX_ATTEMPTS + " attempts); try again");
    }

    private ObjectResult result(PlannedChange change) {
        String text = change.writes() ? diff.between(change.live(), change.next()) : "";
        return new ObjectResult(change.next().kind().displayName(), change.next().name(), change.action().pastTense(), text);
    }

    private static void checkExpectedVersions(Map<String, Long> expected, Map<String, Resource> live) {
        expected.forEach((ref, version) -> {
            long actual = live.containsKey(ref) ? live.get(ref).metadata().resourceVersion() : 0;
            if (actual != version) {
                throw new ApplyConflictException(ref + " is at resource version " + actual + ", not "
                        + version + ": it changed since it was read");
            }
        });
    }

    /**
     * Each object must still be as planned, and so must every stored cell that validation relied
     * on (a cell shrunk meanwhile could make an endpoint's maxCu invalid).
     */
    private static List<Compare> compares(List<PlannedChange> changes, Map<String, Cell> storedCells,
                                          List<Resource> declared) {
        List<Compare> compares = new ArrayList<>();
        for (PlannedChange change : changes) {
            String key = ResourceKeys.key(change.next().kind(), change.next().name());
            compares.add(change.live() == null ? Compare.absent(key)
                    : Compare.modRevisionIs(key, change.live().metadata().resourceVersion()));
        }
        for (String cellName : referencedCells(declared)) {
            Cell stored = storedCells.get(cellName);
            boolean declaredInSet = declared.stream().anyMatch(r -> r.kind() == Kind.CELL && r.name().equals(cellName));
            if (stored != null && !declaredInSet) {
                compares.add(Compare.modRevisionIs(ResourceKeys.key(Kind.CELL, cellName), stored.metadata().resourceVersion()));
            }
        }
        return compares;
    }

    private static Set<String> referencedCells(List<Resource> declared) {
        Set<String> cells = new TreeSet<>();
        for (Resource resource : declared) {
            if (resource instanceof Host host && host.spec().cell() != null) {
                cells.add(host.spec().cell());
            } else if (resource instanceof Endpoint endpoint && endpoint.spec().cell() != null) {
                cells.add(endpoint.spec().cell());
            }
        }
        return cells;
    }

    private static List<Op> writes(List<PlannedChange> changes) {
        return changes.stream().filter(PlannedChange::writes).map(c -> (Op) ResourceRegistry.putOp(c.next())).toList();
    }

    private static Map<String, Cell> cellsByName(List<Resource> cells) {
        Map<String, Cell> byName = new LinkedHashMap<>();
        cells.forEach(c -> byName.put(c.name(), (Cell) c));
        return byName;
    }
}
