package io.tidepool.server.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.control.ControlLoop;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.process.ProcessDriver;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory pressure through the whole stack, on real Postgres in real cgroups: a query at 0.25 CU
 * that needs far more than the 1 GiB of that size, with the guest agent calling for memory (the
 * host agent passes the call on, the autoscaler grants, the agent raises the limit) and without it.
 * Skipped, saying why, where the machine lacks root, cgroup v1 or Postgres 15.
 */
class MemoryPressureTest {
    private static final long GIB = 1L << 30;
    /**
     * A sort of 300 rows of 10 MiB each, all in memory under a big work_mem: 3 GiB, each row a
     * copy of one 1 MiB string ten times over, so memory fills at memcpy speed, faster than metrics
     * sampled every second can follow, even under the CPU quota of 0.25 CU.
     */
    private static final String HUNGRY_QUERY = "WITH one AS MATERIALIZED (SELECT repeat(md5('x'), 32768) AS mib)"
            + " SELECT max(n) FROM (SELECT row_number() OVER (ORDER BY r COLLATE \"C\") AS n"
            + " FROM (SELECT g::text || repeat(one.mib, 10) AS r FROM one, generate_series(1, 300) g) big_rows) sorted";
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec: {cell: local, compute: {minCu: %s, maxCu: %s}}
            """;

    @RegisterExtension
    static final OneHostFleets HOSTS = new OneHostFleets();

    @TempDir
    Path tmp;
    private OneHostFleet host;
    private LocalFleet fleet;

    @Test
    void aSortNeedingThreeTimesTheMemoryOfItsSizeCompletesAsTheGuestCallsForMore() throws Exception {
        start(UnaryOperator.identity());
        fleet.apply(ENDPOINT.formatted("hungry", "0.25", "2"));
        JsonNode endpoint = host.awaitRunning("hungry");
        assertThat(endpoint.at("/status/cu").asText()).isEqualTo("0.25");
        ComputeCgroup cgroup = host.cgroupOf(endpoint);
        assertThat(cgroup.memoryLimit().value()).isEqualTo(GIB);

        try (Connection connection = connect(endpoint); Statement statement = connection.createStatement()) {
            statement.execute("SET work_mem = '6GB'");
            ResultSet result = statement.executeQuery(HUNGRY_QUERY);
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isEqualTo(300L);
        }

        assertThat(cgroup.oomKills()).as("nothing was OOM-killed").isZero();
        assertThat(cgroup.memoryLimit().value()).as("the limit grew past what the sort needed").isGreaterThan(3 * GIB);
        JsonNode grown = fleet.getJson("/api/v1/endpoints/hungry");
        assertThat(Cu.parse(grown.at("/status/cu").asText())).isGreaterThanOrEqualTo(Cu.parse("1"));
        assertThat(host.driver().restarts(endpoint.at("/status/compute").asText())).isZero();
    }

    @Test
    void withoutTheGuestAgentTheSameQueryIsKilledByTheKernel() throws Exception {
        start(ProcessDriver.Settings::withoutGuestAgents);
        fleet.apply(ENDPOINT.formatted("hungry", "0.25", "2"));
        JsonNode endpoint = host.awaitRunning("hungry");
        ComputeCgroup cgroup = host.cgroupOf(endpoint);

        try (Connection connection = connect(endpoint); Statement statement = connection.createStatement()) {
            statement.execute("SET work_mem = '6GB'");
            SQLException failure = null;
            try {
                statement.executeQuery(HUNGRY_QUERY);
            } catch (SQLException e) {
                failure = e;
            }
            assertThat((Object) failure).as("the query failed; the limit is %s, the last decision %s", cgroup.memoryLimit(),
                    fleet.getJson("/api/v1/endpoints/hungry").at("/status/lastDecision")).isNotNull();
        }

        assertThat(cgroup.oomKills()).as("the kernel killed the backend").isPositive();
        Await.until(OneHostFleet.WAIT, "the endpoint serving again after its crash recovery", () -> serves(endpoint));

        // No guest, no metrics: what moves the size now is the operator, and at once, not at a resync.
        fleet.apply(ENDPOINT.formatted("hungry", "1", "2"));
        Await.until(Duration.ofSeconds(20), "a raised minimum applied without metrics", () ->
                "1".equals(fleet.getJson("/api/v1/endpoints/hungry").at("/status/cu").asText()));
        assertThat(CgroupSize.of(cgroup).isOf(Cu.parse("1"))).as("the cgroup at 1 CU: %s", CgroupSize.of(cgroup)).isTrue();
    }

    private static boolean serves(JsonNode endpoint) {
        try (Connection connection = connect(endpoint); Statement statement = connection.createStatement()) {
            return statement.executeQuery("SELECT 1").next();
        } catch (SQLException e) {
            return false;
        }
    }

    private void start(UnaryOperator<ProcessDriver.Settings> variant) throws Exception {
        host = HOSTS.start(tmp, ControlLoop.Settings.DEFAULT, variant);
        fleet = host.fleet();
    }

    private static Connection connect(JsonNode endpoint) throws SQLException {
        // postgresql://postgres@127.0.0.1:PORT/postgres, as JDBC takes it
        String address = endpoint.at("/status/address").asText();
        return DriverManager.getConnection("jdbc:" + address.replace("postgres@", "") + "?user=postgres");
    }
}
