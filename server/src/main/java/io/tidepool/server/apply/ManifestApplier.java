package io.tidepool.server.apply;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.ParsedManifests;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.ApplySet.Outcome;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.api.validation.DnsLabel;
import io.tidepool.api.validation.ManifestValidator;
import io.tidepool.manifests.apply.ApplyOptions;
import io.tidepool.manifests.apply.ApplyResponse;
import io.tidepool.manifests.apply.ApplyResponse.ObjectResult;
import io.tidepool.manifests.plan.Action;
import io.tidepool.manifests.plan.ApplyPlanner;
import io.tidepool.manifests.plan.DeclaredDiff;
import io.tidepool.manifests.plan.DeclaredHash;
import io.tidepool.manifests.plan.PlannedChange;
import io.tidepool.manifests.plan.PrunePlanner;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Compare;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.TxnResult;
import io.tidepool.store.Txn;
import io.tidepool.server.apply.Inventory.Member;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Applies a manifest set as one store transaction: parse, validate against what is stored, plan
 * (and with a named set, prune what its inventory has that the set no longer declares), then write
 * every change at once, on the condition that nothing it read has changed meanwhile. If something
 * did, it starts over from the reads; a set with any error writes nothing but, for a named set,
 * the record of the failed attempt.
 */
public final class ManifestApplier {
    private static final int MAX_ATTEMPTS = 5;

    private final ResourceRegistry registry;
    private final ManifestCodec codec;
    private final ManifestValidator validator;
    private final DeclaredDiff diff;
    private final LiveObjects liveObjects;
    private final ApplySetRecords applySets;
    private final Clock clock;

    public ManifestApplier(ResourceRegistry registry, ManifestCodec codec, Clock clock) {
        this.registry = registry;
        this.codec = codec;
        this.validator = new ManifestValidator();
        this.diff = new DeclaredDiff(codec);
        this.liveObjects = new LiveObjects(registry);
        this.applySets = new ApplySetRecords(registry, clock);
        this.clock = clock;
    }

    public ApplySetRecords applySets() {
        return applySets;
    }

    public ApplyResponse apply(List<ManifestFile> files, boolean dryRun) {
        return apply(files, ApplyOptions.of(dryRun));
    }

    public ApplyResponse apply(List<ManifestFile> files, ApplyOptions options) {
        checkSetName(options.set());
        List<ManifestDocument> documents = new ArrayList<>();
        List<ManifestError> errors = new ArrayList<>();
        for (ManifestFile file : files) {
            ParsedManifests parsed = codec.decode(file.source(), file.text());
            documents.addAll(parsed.documents());
            errors.addAll(parsed.errors());
        }
        if (!errors.isEmpty()) {
            return invalid(options, 0, errors);
        }
        return apply(documents, options, Map.of());
    }

    /**
     * @param expectedVersions for some objects ({@code Kind/name}), the resource version the caller
     *                         last saw; the apply is refused with {@link ApplyConflictException} if the
     *                         stored object has another
     */
    public ApplyResponse apply(List<ManifestDocument> documents, ApplyOptions options, Map<String, Long> expectedVersions) {
        checkSetName(options.set());
        Store store = registry.store();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long readRevision = store.currentRevision();
            Map<String, Cell> storedCells = cellsByName(registry.listAll(Kind.CELL));
            List<ManifestError> errors = validator.validate(documents, storedCells);
            if (!errors.isEmpty()) {
                return invalid(options, readRevision, errors);
            }
            List<Resource> declared = documents.stream().map(ManifestDocument::resource).toList();
            Map<String, Resource> live = liveObjects.read(declared);
            checkExpectedVersions(expectedVersions, live);
            SetState set = readSet(options, declared);
            if (options.expectRevision() != null) {
                refuseIfChangedSince(options, readRevision, declared, live, set);
            }
            Instant now = clock.instant();
            List<PlannedChange> changes = new ArrayList<>(ApplyPlanner.plan(declared, live, now));
            if (options.prune()) {
                changes.addAll(prune(options, declared, set));
            }
            List<ObjectResult> results = changes.stream().map(this::result).toList();
            if (options.dryRun()) {
                return new ApplyResponse(readRevision, true, options.set(), results, List.of());
            }
            List<Compare> compares = compares(changes, storedCells, declared);
            List<Op> ops = writes(changes);
            if (options.set() != null) {
                addSetWrites(options, changes, set, results, now, compares, ops);
            }
            if (ops.isEmpty()) {
                return new ApplyResponse(readRevision, false, options.set(), results, List.of());
            }
            TxnResult written = store.txn(Txn.of(compares, ops));
            if (written.succeeded()) {
                return new ApplyResponse(written.revision(), false, options.set(), results, List.of());
            }
        }
        throw new ApplyConflictException("the objects kept changing while they were applied ("
                + MAX_ATTEMPTS + " attempts); try again");
    }

    /** A named set's inventory, its record, and its members that the manifests no longer declare. */
    private record SetState(Map<String, Member> members, ApplySet record, Map<String, Resource> undeclared) {
        static final SetState NONE = new SetState(Map.of(), null, Map.of());
    }

    private SetState readSet(ApplyOptions options, List<Resource> declared) {
        if (options.set() == null) {
            return SetState.NONE;
        }
        Map<String, Member> members = Inventory.read(registry.store(), options.set());
        Set<String> declaredRefs = declared.stream().map(Resource::ref).collect(Collectors.toSet());
        List<ResourceKeys.Ref> undeclared = members.values().stream().map(Member::ref)
                .filter(ref -> !declaredRefs.contains(ref.toString())).toList();
        return new SetState(members, applySets.get(options.set()).orElse(null), liveObjects.readRefs(undeclared));
    }

    private List<PlannedChange> prune(ApplyOptions options, List<Resource> declared, SetState set) {
        Set<String> declaredRefs = declared.stream().map(Resource::ref).collect(Collectors.toSet());
        PrunePlanner.Plan plan = PrunePlanner.plan(options.set(), set.members().keySet(), declaredRefs, set.undeclared(),
                options.allowEmpty());
        if (plan.refused()) {
            throw refuse(options, Outcome.Refused, plan.refusal());
        }
        List<Resource> pruned = plan.changes().stream().filter(c -> c.action() == Action.PRUNE).map(PlannedChange::live).toList();
        List<String> stillUsed = CellUsers.afterPrune(registry, pruned, declared);
        if (!stillUsed.isEmpty()) {
            throw refuse(options, Outcome.Refused, "cannot prune " + String.join("; ", stillUsed)
                    + ": prune or move them too, or keep the cell in the manifests");
        }
        return plan.changes();
    }

    /**
     * {@code apply --expect-revision N}: every object of the set (declared now, or in its inventory)
     * must have kept what manifests own of it since revision N. Status writes do not count, so a
     * fleet that scales meanwhile does not make the apply fail.
     */
    private void refuseIfChangedSince(ApplyOptions options, long readRevision, List<Resource> declared,
                                      Map<String, Resource> live, SetState set) {
        long expected = options.expectRevision();
        if (expected > readRevision) {
            throw new IllegalArgumentException("--expect-revision " + expected + " is ahead of the store, which is at revision "
                    + readRevision + ": pass the revision that diff printed");
        }
        Map<String, ResourceKeys.Ref> refs = new LinkedHashMap<>();
        declared.forEach(r -> refs.put(r.ref(), new ResourceKeys.Ref(r.kind(), r.name())));
        set.members().values().forEach(m -> refs.putIfAbsent(m.ref().toString(), m.ref()));
        List<String> changed = new ArrayList<>();
        refs.forEach((text, ref) -> {
            Resource object = live.containsKey(text) ? live.get(text) : set.undeclared().get(text);
            long at = DeclaredMarkers.lastChange(registry.store(), ref, object);
            if (at > expected) {
                changed.add(text + " (at revision " + at + ")");
            }
        });
        if (!changed.isEmpty()) {
            throw refuse(options, Outcome.Conflict, "changed since revision " + expected + ": " + CellUsers.shortList(changed)
                    + "; run diff again and review");
        }
    }

    private void addSetWrites(ApplyOptions options, List<PlannedChange> changes, SetState set, List<ObjectResult> results,
                              Instant now, List<Compare> compares, List<Op> ops) {
        Map<String, Member> after = new LinkedHashMap<>();
        if (!options.prune()) {
            set.undeclared().forEach((ref, object) -> after.put(ref, set.members().get(ref)));
        }
        for (PlannedChange change : changes) {
            if (change.action() != Action.PRUNE && change.action() != Action.KEEP) {
                Resource next = change.next();
                after.put(next.ref(), new Member(new ResourceKeys.Ref(next.kind(), next.name()), DeclaredHash.of(next)));
            }
        }
        ops.addAll(Inventory.changes(options.set(), set.members(), after));
        ApplySet before = set.record();
        ApplySet record = ApplySetRecords.afterApply(before, options.set(), options.source(), !ops.isEmpty(), after.size(),
                ApplyResponse.totals(results), now);
        if (record != before) {
            String key = ResourceKeys.key(Kind.APPLY_SET, options.set());
            compares.add(before == null ? Compare.absent(key) : Compare.modRevisionIs(key, before.metadata().resourceVersion()));
            ops.add(ResourceRegistry.putOp(record));
        }
    }

    private ApplyResponse invalid(ApplyOptions options, long revision, List<ManifestError> errors) {
        if (options.set() != null && !options.dryRun()) {
            applySets.recordFailure(options.set(), options.source(), Outcome.Invalid,
                    errors.size() + (errors.size() == 1 ? " error" : " errors") + " in the manifests; nothing was applied",
                    errors.stream().map(ManifestError::format).toList());
        }
        return new ApplyResponse(revision, options.dryRun(), options.set(), List.of(), errors);
    }

    private ApplyConflictException refuse(ApplyOptions options, Outcome outcome, String message) {
        if (options.set() != null && !options.dryRun()) {
            applySets.recordFailure(options.set(), options.source(), outcome, message, List.of());
        }
        return new ApplyConflictException(message);
    }

    private static void checkSetName(String set) {
        if (set != null && !DnsLabel.isValid(set)) {
            throw new IllegalArgumentException("apply set name: expected " + DnsLabel.RULE + ", got \"" + set + "\""
                    + DnsLabel.nearest(set).map(s -> "; did you mean " + s + "?").orElse(""));
        }
    }

    private ObjectResult result(PlannedChange change) {
        String text = switch (change.action()) {
            case CREATE, CONFIGURE -> diff.between(change.live(), change.next());
            case PRUNE -> diff.removal(change.live());
            case UNCHANGED, KEEP -> "";
        };
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
     * Each object must still be as planned (a pruned one too), and so must every stored cell that
     * validation relied on (a cell shrunk meanwhile could make an endpoint's maxCu invalid).
     */
    private static List<Compare> compares(List<PlannedChange> changes, Map<String, Cell> storedCells,
                                          List<Resource> declared) {
        List<Compare> compares = new ArrayList<>();
        for (PlannedChange change : changes) {
            if (change.action() == Action.KEEP) {
                continue;
            }
            String key = ResourceKeys.key(change.next().kind(), change.next().name());
            compares.add(change.live() == null ? Compare.absent(key)
                    : Compare.modRevisionIs(key, change.live().metadata().resourceVersion()));
        }
        Set<String> declaredCells = declared.stream().filter(r -> r.kind() == Kind.CELL).map(Resource::name)
                .collect(Collectors.toSet());
        for (String cellName : CellUsers.referencedCells(declared)) {
            Cell stored = storedCells.get(cellName);
            if (stored != null && !declaredCells.contains(cellName)) {
                compares.add(Compare.modRevisionIs(ResourceKeys.key(Kind.CELL, cellName), stored.metadata().resourceVersion()));
            }
        }
        return compares;
    }

    /** The objects' writes, each with its {@link DeclaredMarkers declared marker}. */
    private static List<Op> writes(List<PlannedChange> changes) {
        List<Op> ops = new ArrayList<>();
        for (PlannedChange change : changes) {
            Resource next = change.next();
            switch (change.action()) {
                case CREATE, CONFIGURE -> {
                    ops.add(ResourceRegistry.putOp(next));
                    ops.add(DeclaredMarkers.written(next));
                }
                case PRUNE -> {
                    ops.add(ResourceRegistry.deleteOp(next.kind(), next.name()));
                    ops.add(DeclaredMarkers.deleted(next.kind(), next.name()));
                }
                case UNCHANGED, KEEP -> {
                }
            }
        }
        return ops;
    }

    private static Map<String, Cell> cellsByName(List<Resource> cells) {
        Map<String, Cell> byName = new LinkedHashMap<>();
        cells.forEach(c -> byName.put(c.name(), (Cell) c));
        return byName;
    }
}
