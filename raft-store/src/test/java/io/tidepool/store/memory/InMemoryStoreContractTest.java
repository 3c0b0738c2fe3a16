package io.tidepool.store.memory;

import io.tidepool.store.Store;
import io.tidepool.store.StoreContract;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryStoreContractTest extends StoreContract {

    @Override
    protected Store openStore() {
        return new InMemoryStore(WATCH_BUFFERED_EVENTS);
    }

    @Test
    void alwaysLeadsAndSaysSoToNewListeners() {
        AtomicReference<Boolean> told = new AtomicReference<>();
        store().leadership().addListener(told::set);
        assertThat(store().leadership().isLeader()).isTrue();
        assertThat(told.get()).isTrue();
    }
}
