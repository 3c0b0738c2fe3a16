package io.tidepool.store.ratis;

import io.tidepool.store.Leadership;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * This node's view of the Raft leadership, fed by the state machine's leader events. Listeners run
 * on the store's own single thread, in the order of the changes, never on a Ratis thread.
 */
final class RatisLeadership implements Leadership {
    private static final Logger LOG = LoggerFactory.getLogger(RatisLeadership.class);

    private final String selfId;
    private final Executor callbacks;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean leader;
    private volatile String leaderId;

    RatisLeadership(String selfId, Executor callbacks) {
        this.selfId = selfId;
        this.callbacks = callbacks;
    }

    @Override
    public boolean isLeader() {
        return leader;
    }

    @Override
    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    @Override
    public synchronized void addListener(Consumer<Boolean> listener) {
        listeners.add(listener);
        if (leader) {
            dispatch(listener, true);
        }
    }

    /** This node leads and has committed an entry of its term. */
    synchronized void becameReadyLeader() {
        leaderId = selfId;
        if (!leader) {
            leader = true;
            LOG.info("{}: leading the store", selfId);
            listeners.forEach(listener -> dispatch(listener, true));
        }
    }

    synchronized void stoppedLeading() {
        if (leader) {
            leader = false;
            LOG.info("{}: no longer leading the store", selfId);
            listeners.forEach(listener -> dispatch(listener, false));
        }
    }

    void leaderChanged(String newLeaderId) {
        leaderId = newLeaderId;
        if (!selfId.equals(newLeaderId)) {
            stoppedLeading();
        }
    }

    private void dispatch(Consumer<Boolean> listener, boolean leading) {
        try {
            callbacks.execute(() -> {
                try {
                    listener.accept(leading);
                } catch (RuntimeException e) {
                    LOG.warn("{}: leadership listener failed", selfId, e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: store closed, leadership change ({}) not delivered", selfId, leading);
        }
    }
}
