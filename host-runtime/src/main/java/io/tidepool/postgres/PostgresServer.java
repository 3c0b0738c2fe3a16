package io.tidepool.postgres;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One Postgres server: its data directory, made once with initdb and kept across starts, and its
 * postmaster, listening on 127.0.0.1 at its own port. Settings come in three layers, lowest first:
 * the endpoint's own ({@code tidepool.conf}, included by postgresql.conf), those that follow the
 * size (ALTER SYSTEM), and what the server must have to be found (port, sockets) on the command line.
 */
public final class PostgresServer {
    public static final String SUPERUSER = "postgres";
    private static final String ENDPOINT_SETTINGS_FILE = "tidepool.conf";
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(30);
    private static final int MAX_WAL_SENDERS = 4;
    /**
     * WAL a primary keeps for a standby between its base backup and its streaming, instead of a
     * replication slot: a slot a discarded replacement left behind would keep WAL forever.
     */
    private static final String WAL_KEEP_SIZE = "128MB";

    /**
     * @param dataDir   kept across starts; made with initdb on the first
     * @param socketDir where the server's Unix socket goes
     * @param logFile   the server's stdout and stderr, appended
     */
    public record Config(PostgresBinaries binaries, OsUser user, Path dataDir, Path socketDir, int port, Path logFile) {
    }

    private final Config config;
    private Process postmaster;

    public PostgresServer(Config config) {
        this.config = config;
    }

    public Config config() {
        return config;
    }

    public boolean initialized() {
        return Files.exists(config.dataDir().resolve("PG_VERSION"));
    }

    /** Makes the data directory with initdb, as the computes' user; a no-op when it exists. */
    public void initialize() throws IOException, InterruptedException {
        if (initialized()) {
            return;
        }
        makeOwnDirectory(config.dataDir());
        Commands.run(config.user().command(List.of(config.binaries().initdb().toString(), "-D", config.dataDir().toString(),
                "-U", SUPERUSER, "--auth-local=trust", "--auth-host=trust", "-E", "UTF8", "--no-locale")));
        Files.writeString(config.dataDir().resolve("postgresql.conf"),
                "\n# Tidepool: the endpoint's own settings\ninclude_if_exists '" + ENDPOINT_SETTINGS_FILE + "'\n",
                StandardOpenOption.APPEND);
    }

    /**
     * Makes the data directory a copy of the primary's at {@code host}:{@code port}, set up to
     * follow it as a streaming standby (standby.signal, primary_conninfo), as the computes' user.
     *
     * @param launch wraps the command, such as a cgroup's joining command: the pages it reads are
     *               charged to the cgroup the standby will run in
     */
    public void baseBackup(String host, int port, UnaryOperator<List<String>> launch) throws IOException, InterruptedException {
        makeOwnDirectory(config.dataDir());
        Commands.run(launch.apply(config.user().command(List.of(config.binaries().pgBasebackup().toString(),
                "-h", host, "-p", Integer.toString(port), "-U", SUPERUSER, "-D", config.dataDir().toString(),
                "-R", "-X", "stream", "-c", "fast", "--no-password"))));
    }

    /** What pg_controldata prints of the data directory (the server is best stopped). */
    public String controlData() throws IOException, InterruptedException {
        return Commands.output(config.user().command(List.of(config.binaries().pgControldata().toString(),
                "-D", config.dataDir().toString())));
    }

    /** Writes the endpoint's settings; they apply at the next start or reload. */
    public void writeEndpointSettings(Map<String, String> settings) throws IOException {
        StringBuilder text = new StringBuilder("# Written by Tidepool from the endpoint's spec.\n");
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            text.append(checkedName(setting.getKey())).append(" = ").append(quoted(setting.getValue())).append('\n');
        }
        Path file = config.dataDir().resolve(ENDPOINT_SETTINGS_FILE);
        Files.writeString(file, text);
        config.user().own(file);
    }

    /**
     * Starts the postmaster and returns at once; {@link #ready()} says when it accepts queries.
     *
     * @param launch wraps the command, such as a cgroup's joining command
     */
    public void start(UnaryOperator<List<String>> launch) throws IOException {
        if (alive()) {
            return;
        }
        // Per server, not per data directory: the endpoint's next compute finds the data but not its sockets.
        makeOwnDirectory(config.socketDir());
        List<String> postgres = new ArrayList<>(List.of(config.binaries().postgres().toString(),
                "-D", config.dataDir().toString(),
                "-c", "port=" + config.port(),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=" + config.socketDir(),
                "-c", "shared_buffers=" + SizedSettings.SHARED_BUFFERS,
                // What a streaming standby needs of its primary, on the command line so that the
                // endpoint's own settings cannot take it away; all but wal_keep_size need a restart.
                "-c", "wal_level=replica",
                "-c", "max_wal_senders=" + MAX_WAL_SENDERS,
                "-c", "hot_standby=on",
                "-c", "wal_keep_size=" + WAL_KEEP_SIZE));
        postmaster = new ProcessBuilder(launch.apply(config.user().command(postgres)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(config.logFile().toFile()))
                .start();
    }

    /** The postmaster's pid, while it runs. */
    public long pid() {
        return postmaster == null ? -1 : postmaster.pid();
    }

    public boolean alive() {
        return postmaster != null && postmaster.isAlive();
    }

    /** Whether the server answers a query now. */
    public boolean ready() {
        if (!alive()) {
            return false;
        }
        try (Connection connection = connect(Duration.ofSeconds(1)); Statement statement = connection.createStatement()) {
            statement.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Sets the settings with ALTER SYSTEM and reloads, in one connection. */
    public void alterSystem(Map<String, String> settings) throws SQLException {
        try (Connection connection = connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                statement.execute("ALTER SYSTEM SET " + checkedName(setting.getKey()) + " = " + quoted(setting.getValue()));
            }
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /** Reloads the configuration files (the endpoint's settings after {@link #writeEndpointSettings}). */
    public void reload() throws SQLException {
        try (Connection connection = connect(Duration.ofSeconds(5)); Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_reload_conf()");
        }
    }

    /**
     * A JDBC connection as the superuser, for the agent's own statements.
     *
     * @param timeout for connecting and for each statement
     */
    public Connection connect(Duration timeout) throws SQLException {
        return connect("127.0.0.1", config.port(), "postgres", timeout);
    }

    /** A JDBC connection as the superuser to a database of any server the agent can reach. */
    public static Connection connect(String host, int port, String database, Duration timeout) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", SUPERUSER);
        properties.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        properties.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
        properties.setProperty("ApplicationName", "tidepool-agent");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/"
                + URLEncoder.encode(database, StandardCharsets.UTF_8), properties);
    }

    /**
     * Stops the postmaster (SIGSTOP) and nothing else: its backends and replication go on, while
     * new connections wait in its listen backlog until {@link #thaw}.
     */
    public void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** Lets a frozen postmaster run again; it accepts the connections that queued meanwhile. */
    public void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    /**
     * Fast shutdown (SIGINT: clients are disconnected, the server checkpoints and exits); after
     * {@link #FAST_SHUTDOWN}, immediate shutdown, then kill.
     */
    public void stop() throws IOException, InterruptedException {
        if (!alive()) {
            return;
        }
        signal("INT");
        if (postmaster.waitFor(FAST_SHUTDOWN.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        signal("QUIT");
        if (!postmaster.waitFor(5, TimeUnit.SECONDS)) {
            postmaster.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Only the leaf is the user's own and closed to others; the directories above stay passable. */
    private void makeOwnDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.getParent());
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        config.user().own(dir);
    }

    private void signal(String name) throws IOException, InterruptedException {
        try {
            Commands.run(List.of("kill", "-" + name, Long.toString(postmaster.pid())));
        } catch (IOException e) {
            // Killed by someone else between alive() and the kill ("No such process"): nothing left to signal.
            if (!postmaster.waitFor(1, TimeUnit.SECONDS)) {
                throw e;
            }
        }
    }

    private static String checkedName(String name) {
        if (!SETTING_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a Postgres setting name");
        }
        return name;
    }

    private static String quoted(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
