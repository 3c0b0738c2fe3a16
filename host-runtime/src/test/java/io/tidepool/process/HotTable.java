package io.tidepool.process;

import io.tidepool.postgres.PostgresServer;
import io.tidepool.prewarm.PageCacheResidency;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A table of one row per 8 KiB block (fillfactor 10, 800-byte rows), so that its size is set by its
 * row count alone and cheap to make; unlogged, so that making it writes no WAL. Its residency in the
 * page cache is read with mincore, as the compute's cache keeping reads it.
 */
record HotTable(PostgresServer server, String name) {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    /** Makes it, {@code blocks} blocks long, and writes it out so that a shrink need not wait for writeback. */
    static HotTable create(PostgresServer server, String name, long blocks) throws SQLException, IOException, InterruptedException {
        execute(server, "CREATE UNLOGGED TABLE " + name + " (id int, pad text) WITH (fillfactor = 10)",
                "INSERT INTO " + name + " SELECT g, repeat('x', 800) FROM generate_series(1, " + blocks + ") g");
        Process sync = new ProcessBuilder("sync").inheritIO().start();
        if (sync.waitFor() != 0) {
            throw new IOException("sync failed with " + sync.exitValue());
        }
        return new HotTable(server, name);
    }

    long blocks() throws SQLException {
        return Long.parseLong(query("SELECT pg_relation_size('" + name + "') / 8192"));
    }

    /** A full scan, which reads every block; returns its row count. */
    long scan() throws SQLException {
        return Long.parseLong(query("SELECT count(*) FROM " + name));
    }

    /** How many of its blocks are in the page cache now. */
    long residentBlocks() throws SQLException, IOException {
        Path file = server.config().dataDir().resolve(query("SELECT pg_relation_filepath('" + name + "')"));
        return PageCacheResidency.residentBlocks(file);
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = server.connect(TIMEOUT); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static void execute(PostgresServer server, String... statements) throws SQLException {
        try (Connection connection = server.connect(TIMEOUT); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
