package io.tidepool.manifests.plan;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Resource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides what {@code apply --prune} does to the objects of a set's inventory that its manifests
 * no longer declare: delete them, or keep those that opted out of pruning. Membership comes from
 * the inventory alone, never from labels, so an object the set did not apply is never touched.
 */
public final class PrunePlanner {

    private PrunePlanner() {
    }

    /**
     * What pruning does, or why it is refused.
     *
     * @param changes one {@link Action#PRUNE} or {@link Action#KEEP} per member still stored that the
     *                manifests no longer declare; members already gone need nothing
     * @param refusal why nothing may be pruned, or null
     */
    public record Plan(List<PlannedChange> changes, String refusal) {
        public Plan {
            changes = List.copyOf(changes);
        }

        public boolean refused() {
            return refusal != null;
        }
    }

    /**
     * @param set         the apply set's name, for the refusal
     * @param members     the inventory, as {@code Kind/name}
     * @param declared    what the manifests declare now, as {@code Kind/name}
     * @param liveMembers the stored members, by {@code Kind/name}
     * @param allowEmpty  whether pruning every member is meant
     */
    public static Plan plan(String set, Collection<String> members, Set<String> declared,
                            Map<String, Resource> liveMembers, boolean allowEmpty) {
        List<PlannedChange> changes = new ArrayList<>();
        for (String member : members) {
            Resource live = liveMembers.get(member);
            if (declared.contains(member) || live == null) {
                continue;
            }
            Action action = ApplySet.pruneDisabled(live) ? Action.KEEP : Action.PRUNE;
            changes.add(new PlannedChange(action, live, live));
        }
        long pruned = changes.stream().filter(c -> c.action() == Action.PRUNE).count();
        boolean noneStays = members.stream().noneMatch(declared::contains)
                && changes.stream().noneMatch(c -> c.action() == Action.KEEP);
        if (pruned > 0 && noneStays && !allowEmpty) {
            return new Plan(List.of(), "refusing to prune every object of apply set " + set + " (" + pruned
                    + (pruned == 1 ? " object" : " objects") + "): its manifests declare none of them any more; "
                    + "check the path, or pass --allow-empty if that is meant");
        }
        return new Plan(changes, null);
    }
}
