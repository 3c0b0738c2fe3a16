package io.tidepool.store.memory;

import io.tidepool.store.Leadership;

import java.util.Optional;
import java.util.function.Consumer;

/** The leadership of a store with one replica and no elections: it always leads. */
final class AlwaysLeader implements Leadership {
    static final AlwaysLeader INSTANCE = new AlwaysLeader();
    static final String NODE_ID = "in-memory";

    private AlwaysLeader() {
    }

    @Override
    public boolean isLeader() {
        return true;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.of(NODE_ID);
    }

    /** Calls the listener at once with true; it is never called again. */
    @Override
    public void addListener(Consumer<Boolean> listener) {
        listener.accept(true);
    }
}
