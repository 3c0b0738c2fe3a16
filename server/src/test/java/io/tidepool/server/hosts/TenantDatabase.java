package io.tidepool.server.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * An endpoint as its tenant sees it: the address its status gives, and queries through that
 * address (a {@code postgresql://user@host:port/db} URI), with the host and compute behind it then.
 */
record TenantDatabase(String endpoint, String host, String compute, String address) {
    private static final Duration CONNECT = Duration.ofSeconds(2);

    /** The endpoint as its status is now. */
    static TenantDatabase current(LocalFleet fleet, String endpoint) {
        JsonNode status = fleet.getJson("/api/v1/endpoints/" + endpoint).path("status");
        return new TenantDatabase(endpoint, status.path("host").asText(null), status.path("compute").asText(null),
                status.path("address").asText(null));
    }

    /** The endpoint once it is Running and answers a query at its address. */
    static TenantDatabase awaitServing(LocalFleet fleet, String endpoint, Duration timeout) {
        return Await.value(timeout, endpoint + " serving queries at its address", () -> {
            TenantDatabase now = current(fleet, endpoint);
            JsonNode phase = fleet.getJson("/api/v1/endpoints/" + endpoint).at("/status/phase");
            return "Running".equals(phase.asText()) && now.serves() ? now : null;
        });
    }

    boolean serves() {
        return "1".equals(queryQuietly("SELECT 1"));
    }

    String query(String sql) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    String queryQuietly(String sql) {
        try {
            return query(sql);
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    void execute(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private Connection connect() throws SQLException {
        if (address == null) {
            throw new SQLException(endpoint + " has no address now");
        }
        URI uri = URI.create(address);
        Properties properties = new Properties();
        properties.setProperty("user", uri.getUserInfo());
        properties.setProperty("connectTimeout", Long.toString(CONNECT.toSeconds()));
        properties.setProperty("socketTimeout", Long.toString(CONNECT.toSeconds()));
        return DriverManager.getConnection("jdbc:postgresql://" + uri.getHost() + ":" + uri.getPort() + uri.getPath(), properties);
    }
}
