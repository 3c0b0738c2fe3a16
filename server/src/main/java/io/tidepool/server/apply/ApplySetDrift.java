package io.tidepool.server.apply;

import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.apply.DriftReport;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.Inventory.Member;
import io.tidepool.store.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Drift: objects of an apply set whose declared part (labels, annotations, spec; never status)
 * is no longer what the set last applied, because someone changed or deleted them since. What
 * controllers write is never drift. Read from the inventory and the declared markers alone, so a
 * check costs two reads per kind on a large set, and no object is decoded.
 */
public final class ApplySetDrift {
    private static final int RANGE_ABOVE = 64;

    private ApplySetDrift() {
    }

    /** The set's drift; empty when the set has no record (it was never applied). */
    public static Optional<DriftReport> check(ResourceRegistry registry, String set) {
        long revision = registry.store().currentRevision();
        if (registry.get(Kind.APPLY_SET, set).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Member> members = Inventory.read(registry.store(), set);
        List<DriftReport.Drifted> drifted = new ArrayList<>();
        Map<Kind, List<Member>> byKind = members.values().stream().collect(Collectors.groupingBy(m -> m.ref().kind()));
        byKind.forEach((kind, ofKind) -> {
            Map<String, String> current = currentHashes(registry, kind, ofKind);
            for (Member member : ofKind) {
                String now = current.get(member.ref().name());
                if (!member.hash().equals(now)) {
                    drifted.add(new DriftReport.Drifted(kind.displayName(), member.ref().name(),
                            DeclaredMarkers.DELETED.equals(now) ? "deleted" : "changed"));
                }
            }
        });
        drifted.sort(java.util.Comparator.comparing(DriftReport.Drifted::ref));
        return Optional.of(new DriftReport(set, revision, members.size(), drifted));
    }

    /**
     * How many objects of each set drifted, for every set at once: one read of all inventories and
     * one of each kind's markers, so counting every set costs what the fleet's markers cost once,
     * not once per set. A set whose inventory is empty has no entry.
     */
    public static Map<String, Integer> driftedBySet(ResourceRegistry registry) {
        Map<String, List<Member>> bySet = Inventory.readAll(registry.store());
        Map<Kind, Map<String, Member>> byKind = new HashMap<>();
        bySet.values().forEach(members -> members.forEach(m ->
                byKind.computeIfAbsent(m.ref().kind(), k -> new HashMap<>()).putIfAbsent(m.ref().name(), m)));
        Map<Kind, Map<String, String>> current = new HashMap<>();
        byKind.forEach((kind, members) -> current.put(kind, currentHashes(registry, kind, members.values())));
        Map<String, Integer> drifted = new HashMap<>();
        bySet.forEach((set, members) -> drifted.put(set, (int) members.stream()
                .filter(m -> !m.hash().equals(current.get(m.ref().kind()).get(m.ref().name()))).count()));
        return drifted;
    }

    /** The key prefixes whose changes can change any set's drift: a watch on them says when to count again. */
    public static List<String> inputs() {
        return List.of(Inventory.ROOT, DeclaredMarkers.PREFIX);
    }

    private static Map<String, String> currentHashes(ResourceRegistry registry, Kind kind, Collection<Member> members) {
        Map<String, String> hashes = new HashMap<>();
        if (members.size() > RANGE_ABOVE) {
            String prefix = DeclaredMarkers.PREFIX + kind.plural() + "/";
            for (KeyValue kv : registry.store().range(prefix).items()) {
                hashes.put(kv.key().substring(prefix.length()), new String(kv.value(), StandardCharsets.UTF_8));
            }
        }
        for (Member member : members) {
            ResourceKeys.Ref ref = member.ref();
            if (!hashes.containsKey(ref.name())) {
                hashes.put(ref.name(), DeclaredMarkers.current(registry, ref));
            }
        }
        return hashes;
    }
}
