package io.tidepool.standby;

import io.tidepool.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The statements that watch and end a streaming standby's replication. */
public final class Replication {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** pg_promote waits this long at most for the promotion to finish. */
    private static final int PROMOTE_WAIT_SECONDS = 60;

    private Replication() {
    }

    /** Where a primary writes WAL now. */
    public static Lsn currentLsn(String host, int port) throws SQLException {
        return Lsn.parse(single(host, port, "SELECT pg_current_wal_lsn()").orElseThrow());
    }

    /** How far the standby has replayed WAL; empty when it is not in recovery (or has replayed nothing). */
    public static Optional<Lsn> replayed(PostgresServer standby) throws SQLException {
        return single("127.0.0.1", standby.config().port(), "SELECT pg_last_wal_replay_lsn()").map(Lsn::parse);
    }

    /** How far the standby has received and flushed WAL from its primary. */
    public static Optional<Lsn> received(PostgresServer standby) throws SQLException {
        return single("127.0.0.1", standby.config().port(), "SELECT pg_last_wal_receive_lsn()").map(Lsn::parse);
    }

    /** Whether the standby's WAL receiver is streaming from its primary now. */
    public static boolean streaming(PostgresServer standby) throws SQLException {
        return single("127.0.0.1", standby.config().port(), "SELECT status FROM pg_stat_wal_receiver")
                .map("streaming"::equals).orElse(false);
    }

    public static boolean inRecovery(PostgresServer server) throws SQLException {
        return single("127.0.0.1", server.config().port(), "SELECT pg_is_in_recovery()::text").map("true"::equals).orElseThrow();
    }

    /**
     * Promotes the standby and returns once it is out of recovery, which is when it accepts writes;
     * fails when the promotion did not finish within {@link #PROMOTE_WAIT_SECONDS}.
     */
    public static void promote(PostgresServer standby) throws SQLException {
        Optional<String> done = single("127.0.0.1", standby.config().port(), "SELECT pg_promote(true, " + PROMOTE_WAIT_SECONDS + ")::text",
                Duration.ofSeconds(PROMOTE_WAIT_SECONDS + 5));
        if (!done.map("true"::equals).orElse(false) || inRecovery(standby)) {
            throw new SQLException("the promotion of the standby on port " + standby.config().port() + " did not finish within "
                    + PROMOTE_WAIT_SECONDS + " s");
        }
    }

    /** The primary's values of the settings a standby needs at least of ({@link StandbyFit}). */
    public static Map<String, Long> settingsToMatch(String host, int port) throws SQLException {
        Map<String, Long> values = new HashMap<>();
        try (Connection connection = PostgresServer.connect(host, port, "postgres", TIMEOUT);
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT name, setting::bigint FROM pg_settings WHERE name = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", StandbyFit.AT_LEAST_THE_PRIMARYS.keySet().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.put(rows.getString(1), rows.getLong(2));
                }
            }
        }
        return values;
    }

    private static Optional<String> single(String host, int port, String sql) throws SQLException {
        return single(host, port, sql, TIMEOUT);
    }

    private static Optional<String> single(String host, int port, String sql, Duration timeout) throws SQLException {
        try (Connection connection = PostgresServer.connect(host, port, "postgres", timeout);
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
        }
    }
}
