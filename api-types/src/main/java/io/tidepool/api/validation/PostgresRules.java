package io.tidepool.api.validation;

import io.tidepool.api.codec.FieldLocator;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.resource.Endpoint;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Postgres major version and the settings an endpoint passes to its server. */
final class PostgresRules {
    static final int MAX_SETTING_NAME_LENGTH = 127;
    static final int MAX_SETTING_VALUE_LENGTH = 4096;
    /** Settings through which Tidepool runs and reaches the server; changing one would cut it off. */
    static final Set<String> MANAGED_SETTINGS = Set.of("port", "listen_addresses", "data_directory", "config_file",
            "hba_file", "ident_file", "unix_socket_directories", "external_pid_file");
    private static final Pattern SETTING_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)*");
    private static final Pattern LEADING_MAJOR = Pattern.compile("\\D*(\\d{1,4}).*");

    private PostgresRules() {
    }

    static void check(ManifestDocument document, Endpoint.Postgres postgres, List<ManifestError> errors) {
        List<String> supported = Endpoint.SUPPORTED_POSTGRES_VERSIONS;
        if (!supported.contains(postgres.version())) {
            errors.add(document.error("spec.postgres.version", "expected a supported major version, one of "
                    + String.join(", ", supported) + ", got \"" + postgres.version() + "\""
                    + nearestVersion(postgres.version()).map(v -> "; did you mean " + v + "?").orElse("")));
        }
        for (Map.Entry<String, String> setting : postgres.settings().entrySet()) {
            checkSetting(document, setting.getKey(), setting.getValue(), errors);
        }
    }

    /** The supported major nearest to the number in {@code version}: 15.4 is 15, 18 is 17, pg12 is 13. */
    static Optional<String> nearestVersion(String version) {
        Matcher m = LEADING_MAJOR.matcher(version);
        if (!m.matches()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        String nearest = null;
        for (String candidate : Endpoint.SUPPORTED_POSTGRES_VERSIONS) {
            if (nearest == null || Math.abs(Integer.parseInt(candidate) - major) < Math.abs(Integer.parseInt(nearest) - major)) {
                nearest = candidate;
            }
        }
        return Optional.ofNullable(nearest);
    }

    private static void checkSetting(ManifestDocument document, String name, String value, List<ManifestError> errors) {
        String field = FieldLocator.entry("spec.postgres.settings", name);
        if (name.length() > MAX_SETTING_NAME_LENGTH || !SETTING_NAME.matcher(name).matches()) {
            String lower = name.toLowerCase(Locale.ROOT).replace('-', '_');
            errors.add(document.error(field, "expected a setting name of lowercase letters, digits, '_' and '.', like"
                    + " max_connections, got \"" + name + "\""
                    + (SETTING_NAME.matcher(lower).matches() && lower.length() <= MAX_SETTING_NAME_LENGTH
                            ? "; did you mean " + lower + "?" : "")));
        } else if (MANAGED_SETTINGS.contains(name)) {
            errors.add(document.error(field, "expected a setting other than " + String.join(", ", MANAGED_SETTINGS.stream().sorted().toList())
                    + ", which Tidepool manages, got " + name));
        }
        if (value.length() > MAX_SETTING_VALUE_LENGTH) {
            errors.add(document.error(field, "expected a value of at most " + MAX_SETTING_VALUE_LENGTH
                    + " characters, got " + value.length()));
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            // postgresql.conf is line-based: a newline would start a setting of its own.
            errors.add(document.error(field, "expected a value on one line without control characters, got "
                    + quoted(value)));
        }
    }

    private static String quoted(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            out.append(Character.isISOControl(c) ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
        }
        return out.append('"').toString();
    }
}
