package io.tidepool.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The programs of one Postgres major version: from {@code /usr/lib/postgresql/VERSION/bin} (where
 * Debian and Ubuntu put each version), else from PATH when the {@code postgres} found there is
 * that version.
 */
public record PostgresBinaries(String version, Path bin) {
    private static final Pattern MAJOR = Pattern.compile("\\(PostgreSQL\\) (\\d+)");

    public Path postgres() {
        return bin.resolve("postgres");
    }

    public Path initdb() {
        return bin.resolve("initdb");
    }

    public Path pgBasebackup() {
        return bin.resolve("pg_basebackup");
    }

    public Path pgControldata() {
        return bin.resolve("pg_controldata");
    }

    public Path pgCtl() {
        return bin.resolve("pg_ctl");
    }

    /** The binaries of {@code version} on this machine, if it has them. */
    public static Optional<PostgresBinaries> find(String version) throws IOException, InterruptedException {
        return find(version, Path.of("/usr/lib/postgresql"), System.getenv("PATH"));
    }

    static Optional<PostgresBinaries> find(String version, Path versionsRoot, String path)
            throws IOException, InterruptedException {
        List<Path> candidates = new ArrayList<>();
        candidates.add(versionsRoot.resolve(version).resolve("bin"));
        if (path != null) {
            for (String dir : path.split(":")) {
                if (!dir.isEmpty()) {
                    candidates.add(Path.of(dir));
                }
            }
        }
        for (Path bin : candidates) {
            Path postgres = bin.resolve("postgres");
            if (Files.isExecutable(postgres) && Files.isExecutable(bin.resolve("initdb"))
                    && version.equals(majorVersion(postgres).orElse(null))) {
                return Optional.of(new PostgresBinaries(version, bin));
            }
        }
        return Optional.empty();
    }

    /** The major version {@code postgres --version} prints ("postgres (PostgreSQL) 15.18" gives 15). */
    static Optional<String> majorVersion(Path postgres) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        return parseMajor(output);
    }

    static Optional<String> parseMajor(String versionOutput) {
        Matcher matcher = MAJOR.matcher(versionOutput);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
