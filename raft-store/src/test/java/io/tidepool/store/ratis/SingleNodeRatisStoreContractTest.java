package io.tidepool.store.ratis;

import io.tidepool.store.Store;
import io.tidepool.store.StoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SingleNodeRatisStoreContractTest extends StoreContract {
    @TempDir
    static Path dir;
    private TestCluster cluster;

    @Override
    protected Store openStore() throws Exception {
        cluster = TestCluster.start(1, dir, config -> config.withWatchBufferedEventsMax(WATCH_BUFFERED_EVENTS));
        return cluster.node("n1");
    }

    @Override
    protected void closeStore(Store store) {
        cluster.close();
    }

    @Test
    void aSingleNodeLeadsAndTellsListenersAddedLater() throws Exception {
        LinkedBlockingQueue<Boolean> told = new LinkedBlockingQueue<>();
        store().leadership().addListener(told::add);
        assertThat(told.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(store().leadership().leaderId()).contains("n1");
        NodeStatus status = ((RatisStore) store()).status();
        assertThat(status.role()).isEqualTo("LEADER");
        assertThat(status.revision()).isEqualTo(store().currentRevision());
        assertThat(status.appliedIndex()).isGreaterThanOrEqualTo(status.revision());
    }
}
