package io.tidepool.store;

import java.util.Optional;
import java.util.function.Consumer;

/** Which node leads the store, so that leader-only work runs on exactly one node at a time. */
public interface Leadership {
    /** True once this node leads and has committed an entry of its term, so its reads are current. */
    boolean isLeader();

    /** The id of the node this node believes leads, if it knows one. */
    Optional<String> leaderId();

    /**
     * Calls {@code listener} with true when this node becomes a ready leader and with false when it
     * stops leading (also when the store closes). A listener added while this node leads is called
     * with true at once. Calls come in the order of the changes, on a store thread (never a Raft
     * thread); listeners must return quickly.
     */
    void addListener(Consumer<Boolean> listener);
}
