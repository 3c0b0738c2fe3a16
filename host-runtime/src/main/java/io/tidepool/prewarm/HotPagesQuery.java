package io.tidepool.prewarm;

import io.tidepool.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the pages hot in a running primary from pg_buffercache. It also makes sure that each
 * database with hot pages has the pg_prewarm extension: a standby is read-only and gets the
 * extension only by replaying its creation on the primary.
 */
public final class HotPagesQuery {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String BLOCKS = """
            SELECT d.datname, b.reltablespace, b.relfilenode, b.relforknumber, b.relblocknumber, b.usagecount
            FROM pg_buffercache b JOIN pg_database d ON d.oid = b.reldatabase
            WHERE b.relfilenode IS NOT NULL AND d.datallowconn""";

    private HotPagesQuery() {
    }

    /** The hottest pages of the primary at {@code host}:{@code port}, at most {@code maxBlocks}. */
    public static HotPages read(String host, int port, int maxBlocks) throws SQLException {
        HotPages pages = buffered(host, port, maxBlocks);
        ensurePrewarm(host, port, pages.ranges());
        return pages;
    }

    /** The same pages in one connection, making only pg_buffercache: for a caller that must be quick. */
    public static HotPages buffered(String host, int port, int maxBlocks) throws SQLException {
        List<HotBlock> blocks = new ArrayList<>();
        try (Connection connection = PostgresServer.connect(host, port, "postgres", TIMEOUT);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_buffercache");
            try (ResultSet rows = statement.executeQuery(BLOCKS)) {
                while (rows.next()) {
                    blocks.add(new HotBlock(rows.getString(1), rows.getLong(2), rows.getLong(3), Fork.ofNumber(rows.getInt(4)),
                            rows.getLong(5), rows.getInt(6)));
                }
            }
        }
        return HotPages.of(blocks, maxBlocks);
    }

    /** Makes sure that each database of {@code ranges} has pg_prewarm; on a primary, as a standby cannot. */
    public static void ensurePrewarm(String host, int port, List<PageRange> ranges) throws SQLException {
        Set<String> databases = new TreeSet<>();
        ranges.forEach(range -> databases.add(range.database()));
        for (String database : databases) {
            try (Connection connection = PostgresServer.connect(host, port, database, TIMEOUT);
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm");
            }
        }
    }
}
