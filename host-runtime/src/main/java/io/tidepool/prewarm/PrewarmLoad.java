package io.tidepool.prewarm;

import io.tidepool.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads pages into a server (a hot standby reads them as well as a primary) with pg_prewarm,
 * one database at a time. A range whose relation is gone or shorter now is loaded as far as it
 * still goes, or skipped: a list is a hint, taken a moment ago on another server.
 */
public final class PrewarmLoad {
    private static final Logger log = LoggerFactory.getLogger(PrewarmLoad.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Relation from its file node, blocks clamped to its size now; NULL (nothing loaded) when it is gone. */
    private static final String LOAD = """
            SELECT pg_prewarm(r, ?, ?, ?, least(?, pg_relation_size(r, ?) / current_setting('block_size')::bigint - 1))
            FROM (SELECT pg_filenode_relation(?::oid, ?::oid) AS r) f
            WHERE r IS NOT NULL AND ? < pg_relation_size(r, ?) / current_setting('block_size')::bigint""";

    private PrewarmLoad() {
    }

    /** @return how many blocks were loaded */
    public static long load(String host, int port, List<PrewarmPlan.Load> loads) throws SQLException {
        return load(host, port, loads, () -> false);
    }

    /**
     * The same, stopping before the next load once {@code cancelled} says so.
     *
     * @return how many blocks were loaded
     */
    public static long load(String host, int port, List<PrewarmPlan.Load> loads, BooleanSupplier cancelled) throws SQLException {
        Map<String, List<PrewarmPlan.Load>> byDatabase = new LinkedHashMap<>();
        for (PrewarmPlan.Load load : loads) {
            byDatabase.computeIfAbsent(load.range().database(), db -> new ArrayList<>()).add(load);
        }
        long loaded = 0;
        for (Map.Entry<String, List<PrewarmPlan.Load>> database : byDatabase.entrySet()) {
            if (cancelled.getAsBoolean()) {
                break;
            }
            try {
                loaded += load(host, port, database.getKey(), database.getValue(), cancelled);
            } catch (SQLException e) {
                // Such as a database made after the list was read, without pg_prewarm: the rest still loads.
                log.info("pages of database {} were not loaded: {}", database.getKey(), e.getMessage());
            }
        }
        return loaded;
    }

    private static long load(String host, int port, String database, List<PrewarmPlan.Load> loads, BooleanSupplier cancelled)
            throws SQLException {
        long loaded = 0;
        try (Connection connection = PostgresServer.connect(host, port, database, TIMEOUT);
             PreparedStatement statement = connection.prepareStatement(LOAD)) {
            for (PrewarmPlan.Load load : loads) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                PageRange range = load.range();
                String fork = range.fork().name();
                statement.setString(1, load.mode().name());
                statement.setString(2, fork);
                statement.setLong(3, range.firstBlock());
                statement.setLong(4, range.lastBlock());
                statement.setString(5, fork);
                statement.setLong(6, range.tablespace());
                statement.setLong(7, range.relfilenode());
                statement.setLong(8, range.firstBlock());
                statement.setString(9, fork);
                try (ResultSet rows = statement.executeQuery()) {
                    if (rows.next()) {
                        loaded += rows.getLong(1);
                    }
                }
            }
        }
        return loaded;
    }
}
