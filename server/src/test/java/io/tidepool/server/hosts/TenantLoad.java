package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.HashSet;

/**
 * What a tenant runs through an endpoint's stable address while it switches: pgbench select-only
 * and simple-update, kept running across the switch, and a {@link CountingWriter}. {@link #close}
 * stops them and checks that no transaction a client saw committed is missing.
 */
final class TenantLoad implements AutoCloseable {
    private final ProxiedFleet fleet;
    private final String endpoint;
    private final String address;
    private final PgbenchLoad reads;
    private final PgbenchLoad updates;
    private final CountingWriter writer;
    private boolean closed;

    private TenantLoad(ProxiedFleet fleet, String endpoint, String address, PgbenchLoad reads, PgbenchLoad updates,
                       CountingWriter writer) {
        this.fleet = fleet;
        this.endpoint = endpoint;
        this.address = address;
        this.reads = reads;
        this.updates = updates;
        this.writer = writer;
    }

    /**
     * Makes pgbench's tables at {@code scale} (100,000 accounts, about 15 MB, each; generated in the
     * server) through {@code address}, with pgbench_history empty.
     */
    static void initialise(String address, int scale, Path logs) throws Exception {
        Files.createDirectories(logs);
        try (Pgbench init = Pgbench.run(address, logs.resolve("init.log"), "-i", "-q", "-I", "dtGvp", "-s",
                Integer.toString(scale))) {
            int exit = init.awaitExit(ProxiedFleet.WAIT);
            assertThat(exit).as("pgbench -i: " + init.output()).isZero();
        }
    }

    /** Starts the load through {@code address} (the proxy's) and waits until each part has committed or read something. */
    static TenantLoad start(ProxiedFleet fleet, String endpoint, String address, Path logs) throws Exception {
        PgbenchLoad reads = PgbenchLoad.start(address, PgbenchLoad.Script.SELECT_ONLY, 2, logs);
        PgbenchLoad updates = PgbenchLoad.start(address, PgbenchLoad.Script.SIMPLE_UPDATE, 1, logs);
        CountingWriter writer = CountingWriter.start(fleet.fleet(), endpoint);
        TenantLoad load = new TenantLoad(fleet, endpoint, address, reads, updates, writer);
        Await.until(ProxiedFleet.WAIT, "the tenant's load running", () ->
                writer.acknowledged().size() >= 100);
        return load;
    }

    int acknowledgedWrites() {
        return writer.acknowledged().size();
    }

    /** Waits until {@code more} writes past now were acknowledged: the endpoint takes writes again. */
    void awaitMoreWrites(int more) {
        int from = acknowledgedWrites();
        Await.until(ProxiedFleet.WAIT, more + " more writes acknowledged", () ->
                acknowledgedWrites() >= from + more);
    }

    /**
     * Starts no more pgbench runs, without waiting for those in progress (up to a run's length):
     * loads stopped together end together.
     */
    void stop() {
        reads.stop();
        updates.stop();
    }

    /**
     * Stops the load, then checks through the address that every acknowledged commit is there: each
     * number the writer saw committed, and a pgbench_history row for each simple-update transaction
     * pgbench counted as processed (it may hold more: a commit whose acknowledgement a switch cut off).
     */
    @Override
    public void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        writer.close();
        reads.close();
        updates.close();
        TenantDatabase database = new TenantDatabase(endpoint, null, null, address);
        Set<Long> written = writtenIds(database);
        assertThat(written).as("every number the writer saw committed is there").containsAll(writer.acknowledged());
        long history = Long.parseLong(database.query("SELECT count(*) FROM pgbench_history"));
        assertThat(history).as("pgbench_history rows against simple-update transactions pgbench saw committed (" + updates + ")")
                .isGreaterThanOrEqualTo(updates.processed());
        assertThat(updates.processed()).as("simple-update transactions processed").isPositive();
        assertThat(reads.processed()).as("select-only transactions processed").isPositive();
    }

    private static Set<Long> writtenIds(TenantDatabase database) throws Exception {
        String ids = database.query("SELECT coalesce(string_agg(id::text, ','), '') FROM written");
        Set<Long> present = new HashSet<>();
        for (String id : ids.split(",")) {
            if (!id.isEmpty()) {
                present.add(Long.parseLong(id));
            }
        }
        return present;
    }

    @Override
    public String toString() {
        return reads + "; " + updates + "; writer: " + writer.acknowledged().size() + " acknowledged, "
                + writer.failures() + " failed attempts " + writer.failureMessages();
    }
}
