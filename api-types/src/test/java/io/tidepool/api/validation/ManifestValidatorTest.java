package io.tidepool.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ManifestError;
import io.tidepool.api.codec.ParsedManifests;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestValidatorTest {
    private static final String CELL = """
            apiVersion: tidepool.io/v1
            kind: Cell
            metadata: {name: eu-1a}
            spec:
              hostTemplate: {cpus: 16, memory: 64Gi}
              buffer: {spareCu: 8}
              watermark: 0.9
              cpuOvercommit: 1.0
              maxHosts: 50
            """;
    private static final String HOST = """
            apiVersion: tidepool.io/v1
            kind: Host
            metadata: {name: eu-1a-h1}
            spec: {cell: eu-1a, capacity: {cpus: 16, memory: 64Gi}}
            """;
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: shop, labels: {team: web}}
            spec:
              cell: eu-1a
              compute: {minCu: 0.25, maxCu: 4}
              postgres: {version: "15", settings: {max_connections: "200"}}
              suspendAfter: 5m
              restartWindow: {days: [Sat, Sun], start: "02:00", duration: 2h, timeZone: UTC}
            """;

    private final ManifestCodec codec = new ManifestCodec();
    private final ManifestValidator validator = new ManifestValidator();

    private List<String> errorsOf(Map<String, Cell> knownCells, String... documents) {
        ParsedManifests parsed = codec.decode("m.yaml", String.join("---\n", documents));
        assertThat(parsed.errors()).as("the manifests must decode; this test is about validation").isEmpty();
        return validator.validate(parsed.documents(), knownCells).stream().map(ManifestError::format).toList();
    }

    private List<String> errorsOf(String... documents) {
        return errorsOf(Map.of(), documents);
    }

    @Test
    void acceptsTheDesignExample() {
        assertThat(errorsOf(CELL, HOST, ENDPOINT)).isEmpty();
    }

    @Test
    void requiresNamesToBeDnsLabelsAndSuggestsOne() {
        assertThat(errorsOf(CELL, ENDPOINT.replace("name: shop", "name: Shop_DB"))).containsExactly(
                "m.yaml:13:18: Endpoint/Shop_DB: metadata.name: expected a DNS label: lowercase letters, digits and '-',"
                        + " starting and ending with a letter or digit, at most 63 characters, got \"Shop_DB\"; did you mean shop-db?");
        assertThat(errorsOf(CELL, ENDPOINT.replace("name: shop", "name: " + "a".repeat(64))))
                .singleElement().asString().contains("at most 63 characters");
        assertThat(errorsOf(CELL, ENDPOINT.replace("name: shop, ", ""))).containsExactly(
                "m.yaml:13:1: Endpoint: metadata.name: missing name: expected a DNS label: lowercase letters, digits and"
                        + " '-', starting and ending with a letter or digit, at most 63 characters");
    }

    @Test
    void requiresLabelKeysAndValuesThatSelectorsCanUse() {
        String labels = ENDPOINT.replace("labels: {team: web}",
                "labels: {team: \"web app\", example.com/tier: gold, \"bad key!\": x, Example.com/x: y, ok: \"\"}");

        assertThat(errorsOf(CELL, labels)).containsExactly(
                "m.yaml:13:104: Endpoint/shop: metadata.labels[\"Example.com/x\"]: expected a key of at most 63 letters,"
                        + " digits, '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS subdomain"
                        + " prefix and '/' (like example.com/team), got \"Example.com/x\"",
                "m.yaml:13:86: Endpoint/shop: metadata.labels[\"bad key!\"]: expected a key of at most 63 letters, digits,"
                        + " '-', '_' or '.', starting and ending with a letter or digit, optionally after a DNS subdomain prefix"
                        + " and '/' (like example.com/team), got \"bad key!\"",
                "m.yaml:13:39: Endpoint/shop: metadata.labels.team: expected a label value: empty, or at most 63 letters,"
                        + " digits, '-', '_' or '.', starting and ending with a letter or digit, got \"web app\"");
    }

    @Test
    void boundsTheTotalSizeOfAnnotationsButNotTheirText() {
        String small = ENDPOINT.replace("labels: {team: web}", "annotations: {note: \"any text: at all, even \u00e9mojis \uD83D\uDE00\"}");
        String large = ENDPOINT.replace("labels: {team: web}", "annotations: {note: \"" + "x".repeat(300_000) + "\"}");

        assertThat(errorsOf(CELL, small)).isEmpty();
        assertThat(errorsOf(CELL, large)).containsExactly("m.yaml:13:24: Endpoint/shop: metadata.annotations: expected"
                + " annotations of at most 262144 bytes in total, got 300004");
    }

    @Test
    void requiresACellToHaveAHostTemplateWithCpusAndMemory() {
        assertThat(errorsOf(CELL.replace("  hostTemplate: {cpus: 16, memory: 64Gi}\n", ""))).containsExactly(
                "m.yaml:4:1: Cell/eu-1a: spec.hostTemplate: missing hostTemplate: expected the shape of a new host, like"
                        + " {cpus: 16, memory: 64Gi}");
        assertThat(errorsOf(CELL.replace("{cpus: 16, memory: 64Gi}", "{cpus: 0, memory: 64Gi}"))).containsExactly(
                "m.yaml:5:24: Cell/eu-1a: spec.hostTemplate.cpus: expected more than 0 CPUs, like 16, got 0");
        assertThat(errorsOf(CELL.replace("{cpus: 16, memory: 64Gi}", "{cpus: 16}"))).containsExactly(
                "m.yaml:5:3: Cell/eu-1a: spec.hostTemplate.memory: expected more than 0 memory, like 64Gi, got nothing");
    }

    @Test
    void requiresAHostTemplateToHoldAtLeastAQuarterStep() {
        assertThat(errorsOf(CELL.replace("{cpus: 16, memory: 64Gi}", "{cpus: 16, memory: 512Mi}")
                .replace("buffer: {spareCu: 8}", "buffer: {spareCu: 0}"))).containsExactly(
                "m.yaml:5:3: Cell/eu-1a: spec.hostTemplate: expected room for at least 0.25 CU (250m CPU and 1Gi memory),"
                        + " got 16 CPUs and 512Mi");
    }

    @Test
    void boundsWatermarkOvercommitMaxHostsAndBuffer() {
        String cell = CELL.replace("watermark: 0.9", "watermark: 1.5").replace("cpuOvercommit: 1.0", "cpuOvercommit: 0.5")
                .replace("maxHosts: 50", "maxHosts: 0");

        assertThat(errorsOf(cell)).containsExactly(
                "m.yaml:7:14: Cell/eu-1a: spec.watermark: expected a fraction of a host above 0 and at most 1, like 0.9, got 1.5",
                "m.yaml:8:18: Cell/eu-1a: spec.cpuOvercommit: expected a factor from 1 (no overcommit) to 16, got 0.5",
                "m.yaml:9:13: Cell/eu-1a: spec.maxHosts: expected at least 1 host, got 0");
        assertThat(errorsOf(CELL.replace("spareCu: 8", "spareCu: 900"))).containsExactly(
                "m.yaml:6:21: Cell/eu-1a: spec.buffer.spareCu: expected at most 800 CU, what 50 hosts of 16 CU hold, got 900");
        assertThat(errorsOf(CELL.replace("watermark: 0.9", "watermark: 0"))).singleElement().asString()
                .contains("spec.watermark");
    }

    @Test
    void requiresAHostToNameAKnownCellAndItsCapacity() {
        assertThat(errorsOf(CELL, HOST.replace("cell: eu-1a", "cell: eu-1b"))).containsExactly(
                "m.yaml:14:14: Host/eu-1a-h1: spec.cell: expected the name of a cell in this manifest set or already applied,"
                        + " got \"eu-1b\", which is neither; did you mean eu-1a?");
        assertThat(errorsOf(CELL, HOST.replace("cell: eu-1a, ", ""))).containsExactly(
                "m.yaml:14:1: Host/eu-1a-h1: spec.cell: missing cell: expected the name of the cell it belongs to");
        assertThat(errorsOf(CELL, HOST.replace(", capacity: {cpus: 16, memory: 64Gi}", ""))).containsExactly(
                "m.yaml:14:1: Host/eu-1a-h1: spec.capacity: missing capacity: expected the host's size, like {cpus: 16,"
                        + " memory: 64Gi}");
    }

    @Test
    void takesCellsFromTheStoreButPrefersTheOnesInTheSet() {
        Cell stored = new Cell(ObjectMeta.named("eu-1a"), new Cell.Spec(new HostShape(MilliCpu.ofCpus(2), Bytes.ofGibibytes(8)),
                null, null, null, null, null), null);

        assertThat(errorsOf(Map.of("eu-1a", stored), HOST, ENDPOINT.replace("maxCu: 4", "maxCu: 2"))).isEmpty();
        assertThat(errorsOf(Map.of("eu-1a", stored), ENDPOINT.replace("maxCu: 4", "maxCu: 3"))).containsExactly(
                "m.yaml:6:33: Endpoint/shop: spec.compute.maxCu: expected at most 2 CU, what one host of cell eu-1a holds"
                        + " (2 CPUs, 8Gi), got 3");
        assertThat(errorsOf(Map.of("eu-1a", stored), CELL, ENDPOINT)).isEmpty();
    }

    @Test
    void countsTheCellsCpuOvercommitInWhatOneHostHolds() {
        Cell overcommitted = new Cell(ObjectMeta.named("eu-1a"), new Cell.Spec(new HostShape(MilliCpu.ofCpus(1),
                Bytes.ofGibibytes(16)), null, null, 4.0, null, null), null);
        Cell plain = new Cell(ObjectMeta.named("eu-1a"), new Cell.Spec(new HostShape(MilliCpu.ofCpus(1),
                Bytes.ofGibibytes(16)), null, null, null, null, null), null);

        assertThat(errorsOf(Map.of("eu-1a", overcommitted), ENDPOINT)).isEmpty();
        assertThat(errorsOf(Map.of("eu-1a", plain), ENDPOINT)).containsExactly(
                "m.yaml:6:33: Endpoint/shop: spec.compute.maxCu: expected at most 1 CU, what one host of cell eu-1a holds"
                        + " (1 CPUs, 16Gi), got 4");
    }

    @Test
    void requiresAnEndpointsComputeRangeToFitAHostOfItsCell() {
        assertThat(errorsOf(CELL, ENDPOINT.replace("{minCu: 0.25, maxCu: 4}", "{minCu: 0, maxCu: 32}"))).containsExactly(
                "m.yaml:16:20: Endpoint/shop: spec.compute.minCu: expected at least 0.25 CU, got 0; to scale to zero when"
                        + " idle, set suspendAfter",
                "m.yaml:16:30: Endpoint/shop: spec.compute.maxCu: expected at most 16 CU, what one host of cell eu-1a holds"
                        + " (16 CPUs, 64Gi), got 32");
        assertThat(errorsOf(CELL, ENDPOINT.replace("{minCu: 0.25, maxCu: 4}", "{minCu: 4, maxCu: 2}"))).containsExactly(
                "m.yaml:16:20: Endpoint/shop: spec.compute.minCu: expected at most maxCu (2), got 4");
        assertThat(errorsOf(CELL, ENDPOINT.replace("{minCu: 0.25, maxCu: 4}", "{minCu: 1}"))).containsExactly(
                "m.yaml:16:3: Endpoint/shop: spec.compute.maxCu: missing maxCu: expected the largest size in CU, like 4");
    }

    @Test
    void requiresASupportedPostgresVersionAndSuggestsTheNearest() {
        assertThat(errorsOf(CELL, ENDPOINT.replace("version: \"15\"", "version: \"18\""))).containsExactly(
                "m.yaml:17:23: Endpoint/shop: spec.postgres.version: expected a supported major version, one of 13, 14, 15,"
                        + " 16, 17, got \"18\"; did you mean 17?");
        assertThat(errorsOf(CELL, ENDPOINT.replace("version: \"15\"", "version: \"15.4\""))).singleElement().asString()
                .endsWith("got \"15.4\"; did you mean 15?");
        assertThat(errorsOf(CELL, ENDPOINT.replace("version: \"15\"", "version: latest"))).singleElement().asString()
                .endsWith("got \"latest\"");
    }

    @Test
    void requiresSettingNamesAsPostgresSpellsThemAndSingleLineValues() {
        String settings = ENDPOINT.replace("{max_connections: \"200\"}",
                "{Work-Mem: 4MB, pg_stat_statements.track: all, port: \"6432\", search_path: \"a\\nb\"}");

        assertThat(errorsOf(CELL, settings)).containsExactly(
                "m.yaml:17:50: Endpoint/shop: spec.postgres.settings.Work-Mem: expected a setting name of lowercase letters,"
                        + " digits, '_' and '.', like max_connections, got \"Work-Mem\"; did you mean work_mem?",
                "m.yaml:17:92: Endpoint/shop: spec.postgres.settings.port: expected a setting other than config_file,"
                        + " data_directory, external_pid_file, hba_file, ident_file, listen_addresses, port,"
                        + " unix_socket_directories, which Tidepool manages, got port",
                "m.yaml:17:113: Endpoint/shop: spec.postgres.settings.search_path: expected a value on one line without"
                        + " control characters, got \"a\\u000ab\"");
    }

    @Test
    void boundsSuspendAfterBetweenAMinuteAndAWeek() {
        assertThat(errorsOf(CELL, ENDPOINT.replace("suspendAfter: 5m", "suspendAfter: 30s"))).containsExactly(
                "m.yaml:18:17: Endpoint/shop: spec.suspendAfter: expected from 1m to 7d, or no suspendAfter to never suspend,"
                        + " got 30s");
        assertThat(errorsOf(CELL, ENDPOINT.replace("suspendAfter: 5m", "suspendAfter: 8d"))).hasSize(1);
        assertThat(errorsOf(CELL, ENDPOINT.replace("suspendAfter: 5m", "suspendAfter: 7d"))).isEmpty();
    }

    @Test
    void requiresARestartWindowWithDaysOnceEachAStartAndADurationOfAtMostADay() {
        assertThat(errorsOf(CELL, ENDPOINT.replace("days: [Sat, Sun]", "days: [Sat, Sun, Sat]"))).containsExactly(
                "m.yaml:19:36: Endpoint/shop: spec.restartWindow.days[2]: expected each day once, got Sat again");
        assertThat(errorsOf(CELL, ENDPOINT.replace("days: [Sat, Sun]", "days: []"))).containsExactly(
                "m.yaml:19:19: Endpoint/shop: spec.restartWindow.days: expected at least one day, like [Sat, Sun], got none");
        assertThat(errorsOf(CELL, ENDPOINT.replace("duration: 2h", "duration: 25h").replace("start: \"02:00\", ", "")))
                .containsExactly(
                        "m.yaml:19:3: Endpoint/shop: spec.restartWindow.start: missing start: expected a time of day HH:MM,"
                                + " like \"02:00\"",
                        "m.yaml:19:47: Endpoint/shop: spec.restartWindow.duration: expected a duration above 0s and at most 1d,"
                                + " got 1d1h");
    }

    @Test
    void defaultsTheTimeZoneOfARestartWindowToUtc() {
        assertThat(errorsOf(CELL, ENDPOINT.replace(", timeZone: UTC", ""))).isEmpty();
    }

    @Test
    void refusesObjectsThatOnlyTheSystemWrites() {
        String compute = """
                apiVersion: tidepool.io/v1
                kind: Compute
                metadata: {name: shop-1}
                spec: {endpoint: shop, host: eu-1a-h1, cu: 1, role: primary, epoch: 1}
                """;

        assertThat(errorsOf(compute)).containsExactly("m.yaml:2:7: Compute/shop-1: kind: Compute objects are written by"
                + " the system and cannot be applied: expected one of Cell, Host, Endpoint");
    }

    @Test
    void refusesTheSameObjectTwiceNamingWhereItWasFirst() {
        assertThat(errorsOf(CELL, ENDPOINT, ENDPOINT.replace("maxCu: 4", "maxCu: 2"))).containsExactly(
                "m.yaml:23:18: Endpoint/shop: metadata.name: expected each object once in a manifest set, got Endpoint/shop"
                        + " again; first declared at m.yaml:13:18");
        assertThat(errorsOf(CELL, HOST, HOST.replace("kind: Host", "kind: Endpoint")
                .replace("{cell: eu-1a, capacity: {cpus: 16, memory: 64Gi}}", "{cell: eu-1a, compute: {minCu: 1, maxCu: 1}}")))
                .as("the same name in another kind is another object").isEmpty();
    }

    @Test
    void reportsEveryErrorOfTheSetAtOnce() {
        List<String> errors = errorsOf(CELL.replace("watermark: 0.9", "watermark: 2"),
                HOST.replace("cell: eu-1a", "cell: nowhere"), ENDPOINT.replace("version: \"15\"", "version: \"9\""));

        assertThat(errors).extracting(e -> e.split(": ")[2]).containsExactly("spec.watermark", "spec.cell", "spec.postgres.version");
    }

    @Test
    void validatesObjectsThatCameWithoutASourceText() {
        List<ManifestDocument> documents = codec.decode("m.yaml", ENDPOINT).documents().stream()
                .map(d -> ManifestDocument.unlocated(d.resource(), "PUT /api/v1/endpoints/shop")).toList();

        assertThat(validator.validate(documents, Map.of())).extracting(ManifestError::format).containsExactly(
                "PUT /api/v1/endpoints/shop:1:1: Endpoint/shop: spec.cell: expected the name of a cell in this manifest"
                        + " set or already applied, got \"eu-1a\", which is neither");
    }
}
