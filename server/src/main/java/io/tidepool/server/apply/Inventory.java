package io.tidepool.server.apply;

import io.tidepool.api.resource.Kind;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The objects that belong to an apply set, one key each under the set's prefix, with the
 * {@link io.tidepool.manifests.plan.DeclaredHash} of what the set applied. One key per member
 * rather than a list in the ApplySet object, so a set of 100,000 objects stays within the store's
 * value limit and an apply rewrites only the members it changed.
 */
final class Inventory {
    static final String ROOT = "/tidepool/inventory/";

    /** @param hash the declared hash of the object as the set last applied it */
    record Member(ResourceKeys.Ref ref, String hash) {
    }

    private Inventory() {
    }

    static String prefix(String set) {
        return ROOT + set + "/";
    }

    static String key(String set, ResourceKeys.Ref ref) {
        return prefix(set) + ref.kind().plural() + "/" + ref.name();
    }

    /** The set's members by {@code Kind/name}, in key order. */
    static Map<String, Member> read(Store store, String set) {
        String prefix = prefix(set);
        Map<String, Member> members = new LinkedHashMap<>();
        for (KeyValue kv : store.range(prefix).items()) {
            Member member = member(kv, kv.key().substring(prefix.length()));
            members.put(member.ref().toString(), member);
        }
        return members;
    }

    /** Every set's members, by set, in one read of all inventories. */
    static Map<String, List<Member>> readAll(Store store) {
        Map<String, List<Member>> bySet = new LinkedHashMap<>();
        for (KeyValue kv : store.range(ROOT).items()) {
            String rest = kv.key().substring(ROOT.length());
            int slash = rest.indexOf('/');
            bySet.computeIfAbsent(rest.substring(0, slash), set -> new ArrayList<>())
                    .add(member(kv, rest.substring(slash + 1)));
        }
        return bySet;
    }

    /** @param rest the key after the set's prefix: {@code plural/name} */
    private static Member member(KeyValue kv, String rest) {
        int slash = rest.indexOf('/');
        Kind kind = Kind.ofAnyName(rest.substring(0, slash)).orElseThrow(
                () -> new IllegalStateException("inventory key of an unknown kind: " + kv.key()));
        return new Member(new ResourceKeys.Ref(kind, rest.substring(slash + 1)), new String(kv.value(), StandardCharsets.UTF_8));
    }

    /** The writes that turn inventory {@code before} into {@code after}: only members added, changed or gone. */
    static List<Op> changes(String set, Map<String, Member> before, Map<String, Member> after) {
        List<Op> ops = new ArrayList<>();
        after.forEach((ref, member) -> {
            Member old = before.get(ref);
            if (old == null || !Objects.equals(old.hash(), member.hash())) {
                ops.add(new Op.Put(key(set, member.ref()), member.hash().getBytes(StandardCharsets.UTF_8)));
            }
        });
        before.forEach((ref, member) -> {
            if (!after.containsKey(ref)) {
                ops.add(new Op.Delete(key(set, member.ref())));
            }
        });
        return ops;
    }
}
