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
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
        Collection<Member> members = Inventory.read(registry.store(), set).values();
        return Optional.of(report(set, revision, members, currentHashes(registry, members)));
    }

    /**
     * Every set's drift at once: one read of all inventories and one of each kind's markers, so
     * checking every set costs what the fleet's markers cost once, not once per set. A set whose
     * inventory is empty has no entry.
     */
    public static Map<String, DriftReport> checkAll(ResourceRegistry registry) {
        long revision = registry.store().currentRevision();
        Map<String, List<Member>> bySet = Inventory.readAll(registry.store());
        Map<Kind, Map<String, String>> current = currentHashes(registry,
                bySet.values().stream().flatMap(List::stream).toList());
        Map<String, DriftReport> reports = new LinkedHashMap<>();
        bySet.forEach((set, members) -> reports.put(set, report(set, revision, members, current)));
        return reports;
    }

    /** The key prefixes whose changes can change any set's drift: a watch on them says when to check again. */
    static List<String> inputs() {
        return List.of(Inventory.ROOT, DeclaredMarkers.PREFIX);
    }

    private static DriftReport report(String set, long revision, Collection<Member> members,
                                      Map<Kind, Map<String, String>> current) {
        List<DriftReport.Drifted> drifted = new ArrayList<>();
        for (Member member : members) {
            String now = current.get(member.ref().kind()).get(member.ref().name());
            if (!member.hash().equals(now)) {
                drifted.add(new DriftReport.Drifted(member.ref().kind().displayName(), member.ref().name(),
                        DeclaredMarkers.DELETED.equals(now) ? "deleted" : "changed"));
            }
        }
        drifted.sort(Comparator.comparing(DriftReport.Drifted::ref));
        return new DriftReport(set, revision, members.size(), drifted);
    }

    /** What each member's object declares now, by kind and name: a range of a kind's markers when many, else a read each. */
    private static Map<Kind, Map<String, String>> currentHashes(ResourceRegistry registry, Collection<Member> members) {
        Map<Kind, Map<String, String>> byKind = new HashMap<>();
        Map<Kind, Set<ResourceKeys.Ref>> refs = members.stream()
                .collect(Collectors.groupingBy(m -> m.ref().kind(), Collectors.mapping(Member::ref, Collectors.toSet())));
        refs.forEach((kind, ofKind) -> {
            Map<String, String> hashes = new HashMap<>();
            if (ofKind.size() > RANGE_ABOVE) {
                String prefix = DeclaredMarkers.PREFIX + kind.plural() + "/";
                for (KeyValue kv : registry.store().range(prefix).items()) {
                    hashes.put(kv.key().substring(prefix.length()), new String(kv.value(), StandardCharsets.UTF_8));
                }
            }
            for (ResourceKeys.Ref ref : ofKind) {
                hashes.computeIfAbsent(ref.name(), name -> DeclaredMarkers.current(registry, ref));
            }
            byKind.put(kind, hashes);
        });
        return byKind;
    }
}
