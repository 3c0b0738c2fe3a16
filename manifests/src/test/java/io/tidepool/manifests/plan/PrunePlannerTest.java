package io.tidepool.manifests.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Resource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PrunePlannerTest {

    @Test
    void prunesTheMembersTheManifestsNoLongerDeclare() {
        PrunePlanner.Plan plan = PrunePlanner.plan("shop", List.of("Endpoint/shop", "Endpoint/cart"), Set.of("Endpoint/shop"),
                live("cart"), false);

        assertThat(plan.refused()).isFalse();
        assertThat(plan.changes()).singleElement().satisfies(c -> {
            assertThat(c.action()).isEqualTo(Action.PRUNE);
            assertThat(c.ref()).isEqualTo("Endpoint/cart");
        });
    }

    @Test
    void keepsAMemberThatOptedOutOfPruning() {
        Map<String, Resource> live = Map.of("Endpoint/blog", endpoint("blog", true));

        PrunePlanner.Plan plan = PrunePlanner.plan("shop", List.of("Endpoint/shop", "Endpoint/blog"), Set.of("Endpoint/shop"),
                live, false);

        assertThat(plan.changes()).singleElement().extracting(PlannedChange::action).isEqualTo(Action.KEEP);
    }

    @Test
    void needsNothingForAMemberAlreadyDeleted() {
        PrunePlanner.Plan plan = PrunePlanner.plan("shop", List.of("Endpoint/shop", "Endpoint/gone"), Set.of("Endpoint/shop"),
                Map.of(), false);

        assertThat(plan.changes()).isEmpty();
        assertThat(plan.refused()).isFalse();
    }

    @Test
    void refusesToPruneEveryMemberUnlessAllowed() {
        List<String> members = List.of("Endpoint/shop", "Endpoint/cart");
        Map<String, Resource> live = new HashMap<>(live("cart"));
        live.putAll(live("shop"));

        PrunePlanner.Plan refused = PrunePlanner.plan("shop", members, Set.of("Endpoint/other"), live, false);
        PrunePlanner.Plan allowed = PrunePlanner.plan("shop", members, Set.of("Endpoint/other"), live, true);

        assertThat(refused.refused()).isTrue();
        assertThat(refused.refusal()).contains("apply set shop", "2 objects", "--allow-empty");
        assertThat(refused.changes()).isEmpty();
        assertThat(allowed.changes()).extracting(PlannedChange::action).containsOnly(Action.PRUNE).hasSize(2);
    }

    @Test
    void anEmptyInventoryPrunesNothingAndRefusesNothing() {
        PrunePlanner.Plan plan = PrunePlanner.plan("shop", List.of(), Set.of(), Map.of(), false);

        assertThat(plan.refused()).isFalse();
        assertThat(plan.changes()).isEmpty();
    }

    /** Members 0..n-1; declared, stored and opted-out members chosen by bit masks. */
    @Property
    void prunesExactlyTheStoredUndeclaredMembersThatDidNotOptOut(@ForAll @IntRange(min = 0, max = 8) int n,
                                                                 @ForAll @IntRange(min = 0, max = 255) int declaredMask,
                                                                 @ForAll @IntRange(min = 0, max = 255) int storedMask,
                                                                 @ForAll @IntRange(min = 0, max = 255) int optOutMask,
                                                                 @ForAll boolean allowEmpty) {
        List<String> members = new java.util.ArrayList<>();
        Set<String> declared = new HashSet<>(Set.of("Endpoint/new"));
        Map<String, Resource> live = new HashMap<>();
        for (int i = 0; i < n; i++) {
            String ref = "Endpoint/e" + i;
            members.add(ref);
            if ((declaredMask >> i & 1) == 1) {
                declared.add(ref);
            }
            if ((storedMask >> i & 1) == 1) {
                live.put(ref, endpoint("e" + i, (optOutMask >> i & 1) == 1));
            }
        }

        PrunePlanner.Plan plan = PrunePlanner.plan("s", members, declared, live, allowEmpty);

        Set<String> expectedPruned = new HashSet<>();
        for (String member : members) {
            if (!declared.contains(member) && live.containsKey(member) && !ApplySet.pruneDisabled(live.get(member))) {
                expectedPruned.add(member);
            }
        }
        boolean everything = !expectedPruned.isEmpty() && members.stream().noneMatch(declared::contains)
                && members.stream().noneMatch(m -> live.containsKey(m) && ApplySet.pruneDisabled(live.get(m)));
        assertThat(plan.refused()).isEqualTo(everything && !allowEmpty);
        if (!plan.refused()) {
            assertThat(plan.changes().stream().filter(c -> c.action() == Action.PRUNE).map(PlannedChange::ref))
                    .containsExactlyInAnyOrderElementsOf(expectedPruned);
            assertThat(plan.changes()).allSatisfy(c -> assertThat(declared).doesNotContain(c.ref()));
        }
    }

    private static Map<String, Resource> live(String name) {
        return Map.of("Endpoint/" + name, endpoint(name, false));
    }

    private static Endpoint endpoint(String name, boolean optOut) {
        Endpoint endpoint = ApplyPlannerTest.endpoint(name, "2", Map.of());
        return optOut ? endpoint.withMetadata(endpoint.metadata().withAnnotations(
                Map.of(ApplySet.PRUNE_ANNOTATION, ApplySet.PRUNE_DISABLED))) : endpoint;
    }
}
