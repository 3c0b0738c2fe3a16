package io.tidepool.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.KeyValue;
import io.tidepool.store.WatchEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a watch of one host's computes tells its agent, event by event. */
class ComputesOnHostTest {

    @Test
    void tellsOfTheHostsComputesAndOfOneThatLeavesAsADelete() {
        ComputesOnHost filter = new ComputesOnHost("h1", listed(10, compute("a", "h1", 5, 5)), 11);

        List<WatchEvent> told = filter.filter(List.of(
                put(compute("b", "h2", 11, 11)),
                put(compute("c", "h1", 12, 12)),
                put(compute("a", "h2", 5, 13)),
                delete("b", 11, 14),
                delete("c", 12, 15)));

        assertThat(told).extracting(ComputesOnHostTest::describe).containsExactly("PUT c@12", "DELETE a@13", "DELETE c@15");
    }

    @Test
    void tellsOfAComputeThatComesToTheHostAndLeavesAgain() {
        ComputesOnHost filter = new ComputesOnHost("h1", listed(10, compute("a", "h2", 5, 5)), 11);

        List<WatchEvent> told = filter.filter(List.of(
                put(compute("a", "h1", 5, 11)),
                put(compute("a", "h2", 5, 12)),
                put(compute("a", "h2", 5, 13))));

        assertThat(told).extracting(ComputesOnHostTest::describe).containsExactly("PUT a@11", "DELETE a@12");
    }

    @Test
    void aClientResumingFromEarlierHistoryHearsOfEveryComputeThatMayHaveLeft() {
        // The client last saw revision 10; the list taken as it resumes is at 13, after a left for h2
        // (at 11) and d was made on h2 (at 12): whether a was on h1 before 11 is not known here.
        ComputesOnHost filter = new ComputesOnHost("h1",
                listed(13, compute("a", "h2", 5, 11), compute("d", "h2", 12, 12), compute("e", "h1", 6, 13)), 11);

        List<WatchEvent> told = filter.filter(List.of(
                put(compute("a", "h2", 5, 11)),
                put(compute("d", "h2", 12, 12)),
                put(compute("e", "h1", 6, 13)),
                put(compute("d", "h2", 12, 14))));

        assertThat(told).extracting(ComputesOnHostTest::describe).containsExactly("DELETE a@11", "PUT e@13");
    }

    @Test
    void historyBeforeWhatTheClientAskedForOnlyTeachesTheFilter() {
        // The list was taken at 10 but the client asks from 13: events 11 and 12 are not sent, yet the
        // filter learns from them that b came to h1, so that its leaving at 13 is told.
        ComputesOnHost filter = new ComputesOnHost("h1", listed(10, compute("b", "h2", 5, 5)), 13);

        List<WatchEvent> told = filter.filter(List.of(
                put(compute("b", "h1", 5, 11)),
                put(compute("c", "h1", 12, 12)),
                put(compute("b", "h2", 5, 13))));

        assertThat(told).extracting(ComputesOnHostTest::describe).containsExactly("DELETE b@13");
    }

    private static Compute compute(String name, String host, long createRevision, long revision) {
        return new Compute(ObjectMeta.named(name).withRevisions(revision, createRevision),
                new Compute.Spec("shop", host, Cu.QUARTER, Compute.Role.primary, 1, null), null);
    }

    private static ResourceRegistry.Page listed(long revision, Resource... computes) {
        return new ResourceRegistry.Page(List.of(computes), revision, false);
    }

    private static WatchEvent put(Compute compute) {
        return new WatchEvent(WatchEvent.Type.PUT, new KeyValue(ResourceKeys.key(Kind.COMPUTE, compute.name()),
                ResourceJson.encode(compute), compute.metadata().createRevision(), compute.metadata().resourceVersion(), 1));
    }

    private static WatchEvent delete(String name, long createRevision, long revision) {
        return new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(ResourceKeys.key(Kind.COMPUTE, name), null, createRevision, revision, 0));
    }

    private static String describe(WatchEvent event) {
        String key = event.kv().key();
        return event.type() + " " + key.substring(key.lastIndexOf('/') + 1) + "@" + event.revision();
    }
}
