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
