package io.tidepool.manifests.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds its server and token: {@code ~/.tidepool/config.yaml}, or the file that
 * {@code TIDEPOOL_CONFIG} names. {@code tidepool up} writes it so that the other verbs need no flags.
 */
public record ClientConfig(String server, String token) {
    public static final String CONFIG_ENV = "TIDEPOOL_CONFIG";
    public static final String TOKEN_ENV = "TIDEPOOL_TOKEN";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public static Path defaultPath(Map<String, String> env) {
        String configured = env.get(CONFIG_ENV);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".tidepool", "config.yaml");
    }

    public static Optional<ClientConfig> read(Path path) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(YAML.readValue(path.toFile(), ClientConfig.class));
        } catch (IOException e) {
            throw new IllegalStateException(path + ": not a valid client config: " + e.getMessage(), e);
        }
    }

    /** Writes the config readable by its owner only, since it holds a token; replaces it atomically. */
    public void write(Path path) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".config", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            YAML.writeValue(tmp.toFile(), this);
            Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
