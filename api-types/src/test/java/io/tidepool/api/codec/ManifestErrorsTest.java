package io.tidepool.api.codec;

import static io.tidepool.api.codec.ManifestCodecTest.endpointYaml;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestErrorsTest {
    private final ManifestCodec codec = new ManifestCodec();

    private List<String> errorsOf(String text) {
        ParsedManifests parsed = codec.decode("m.yaml", text);
        assertThat(parsed.ok()).isFalse();
        return parsed.errors().stream().map(ManifestError::format).toList();
    }

    private String onlyErrorOf(String text) {
        List<String> errors = errorsOf(text);
        assertThat(errors).hasSize(1);
        return errors.get(0);
    }

    @Test
    void reportsEveryErrorOfEveryDocumentWithFileLineColumnObjectAndField() {
        ParsedManifests parsed = codec.decode("examples/mistakes.yaml", Manifests.read("mistakes.yaml"));

        assertThat(parsed.documents()).isEmpty();
        assertThat(parsed.errors()).extracting(ManifestError::format).containsExactly(
                "examples/mistakes.yaml:2:7: kind: unknown kind: expected one of Cell, Host, Endpoint, Compute, Migration,"
                        + " Event, ApplySet, got \"Endpiont\"; did you mean Endpoint?",
                "examples/mistakes.yaml:13:12: Endpoint/shop: spec.compute.maxCu: expected a multiple of 0.25 CU, got 0.3",
                "examples/mistakes.yaml:20:36: Cell/eu-1b: spec.hostTemplate.memory: expected memory like 512Mi, 64Gi or a"
                        + " number of bytes, got \"64GB\"; did you mean 64Gi?",
                "examples/mistakes.yaml:21:20: Cell/eu-1b: spec.provider.type: expected one of static, simulated,"
                        + " got \"statik\"; did you mean static?");
    }

    @Test
    void reportsEachPartOfAnErrorSeparately() {
        ManifestError error = codec.decode("examples/mistakes.yaml", Manifests.read("mistakes.yaml")).errors().get(1);

        assertThat(error).isEqualTo(new ManifestError("examples/mistakes.yaml", 13, 12, "Endpoint/shop", "spec.compute.maxCu",
                "expected a multiple of 0.25 CU, got 0.3"));
    }

    @Test
    void rejectsCuThatIsNotAMultipleOfAQuarterButTakesHalfSteps() {
        String text = endpointYaml("shop").replace("{minCu: 0.25, maxCu: 4}", "{minCu: 0.1, maxCu: 2.5}");

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:6:20: Endpoint/shop: spec.compute.minCu: expected a multiple of"
                + " 0.25 CU, got 0.1");
    }

    @Test
    void suggestsTheNearestFieldForAnUnknownField() {
        String text = endpointYaml("shop").replace("maxCu: 4", "maxCU: 4");

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:6:26: Endpoint/shop: spec.compute.maxCU: unknown field \"maxCU\":"
                + " expected one of minCu, maxCu; did you mean maxCu?");
    }

    @Test
    void rejectsUnknownFieldsAtEveryLevel() {
        String text = endpointYaml("shop").replace("metadata: {name: shop}", "metadata: {name: shop, lables: {}}")
                + "status: {phase: Running, healthy: true}\nextra: 1\n";

        assertThat(errorsOf(text)).containsExactly(
                "m.yaml:3:24: Endpoint/shop: metadata.lables: unknown field \"lables\": expected one of name, labels,"
                        + " annotations, resourceVersion, createRevision, creationTimestamp; did you mean labels?",
                "m.yaml:8:26: Endpoint/shop: status.healthy: unknown field \"healthy\": expected one of phase, host, cu,"
                        + " address, conditions, lastDecision, compute, epoch, resumeRequestedAt",
                "m.yaml:9:1: Endpoint/shop: extra: unknown field \"extra\": expected one of apiVersion, kind, metadata,"
                        + " spec, status");
    }

    @Test
    void suggestsTheShortNameOfAMisspelledOrFullDayName() {
        String text = endpointYaml("shop") + "  restartWindow: {days: [Sat, Mnday, Sunday], start: \"02:00\", duration: 2h}\n";

        assertThat(errorsOf(text)).containsExactly(
                "m.yaml:8:31: Endpoint/shop: spec.restartWindow.days[1]: expected a day Mon, Tue, Wed, Thu, Fri, Sat or Sun,"
                        + " got \"Mnday\"; did you mean Mon?",
                "m.yaml:8:38: Endpoint/shop: spec.restartWindow.days[2]: expected a day Mon, Tue, Wed, Thu, Fri, Sat or Sun,"
                        + " got \"Sunday\"; did you mean Sun?");
    }

    @Test
    void suggestsTheNearestTimeZone() {
        String text = endpointYaml("shop") + "  restartWindow: {days: [Sat], start: \"02:00\", duration: 2h, timeZone: Europe/Berln}\n";

        assertThat(onlyErrorOf(text)).endsWith("spec.restartWindow.timeZone: expected a time zone like UTC or Europe/Berlin,"
                + " got \"Europe/Berln\"; did you mean Europe/Berlin?");
    }

    @Test
    void rejectsMalformedDurationsAndTimes() {
        String text = endpointYaml("shop") + "  suspendAfter: 5 minutes\n"
                + "  restartWindow: {days: [Sat], start: \"2:00\", duration: 2h}\n";

        assertThat(errorsOf(text)).containsExactly(
                "m.yaml:8:17: Endpoint/shop: spec.suspendAfter: expected a duration like 30s, 5m, 2h or 1h30m, got \"5 minutes\"",
                "m.yaml:9:39: Endpoint/shop: spec.restartWindow.start: expected a time of day HH:MM from 00:00 to 23:59,"
                        + " got \"2:00\"");
    }

    @Test
    void suggestsTheNearestValueOfAnEnum() {
        String text = endpointYaml("shop") + "status: {phase: Runing}\n";

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:8:17: Endpoint/shop: status.phase: expected one of Pending, Running,"
                + " Scaling, Migrating, Restarting, Suspended, Failed, got \"Runing\"; did you mean Running?");
    }

    @Test
    void rejectsDuplicateKeysNamingWhereTheFirstWas() {
        String text = endpointYaml("shop") + "  cell: eu-1b\n";

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:8:3: Endpoint/shop: spec.cell: duplicate key \"cell\": expected each"
                + " key once, found it again after line 5 column 3");
    }

    @Test
    void rejectsDuplicateLabelKeys() {
        String text = endpointYaml("shop").replace("metadata: {name: shop}", "metadata: {name: shop, labels: {a: x, a: y}}");

        assertThat(onlyErrorOf(text)).contains("metadata.labels.a: duplicate key \"a\"");
    }

    @Test
    void rejectsTheWrongApiVersionAndAMissingKind() {
        assertThat(onlyErrorOf(endpointYaml("shop").replace("tidepool.io/v1", "v1")))
                .isEqualTo("m.yaml:1:13: Endpoint/shop: apiVersion: expected tidepool.io/v1, got \"v1\"");
        assertThat(onlyErrorOf(endpointYaml("shop").replace("kind: Endpoint\n", "")))
                .isEqualTo("m.yaml:1:1: kind: missing kind: expected one of Cell, Host, Endpoint, Compute, Migration, Event, ApplySet");
        assertThat(onlyErrorOf(endpointYaml("shop").replace("apiVersion: tidepool.io/v1\n", "")))
                .isEqualTo("m.yaml:1:1: Endpoint/shop: apiVersion: missing apiVersion: expected tidepool.io/v1");
    }

    @Test
    void rejectsValuesOfTheWrongTypeWithoutCoercingThem() {
        String text = """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata: {name: c}
                spec:
                  hostTemplate: [16, 64Gi]
                  watermark: "0.9"
                  maxHosts: 2.5
                  cpuOvercommit: .inf
                """;

        assertThat(errorsOf(text)).containsExactly(
                "m.yaml:5:17: Cell/c: spec.hostTemplate: expected a mapping with fields cpus, memory, got a list",
                "m.yaml:6:14: Cell/c: spec.watermark: expected a number, got \"0.9\"",
                "m.yaml:7:13: Cell/c: spec.maxHosts: expected a whole number, got 2.5",
                "m.yaml:8:18: Cell/c: spec.cpuOvercommit: expected a finite number, got .inf");
    }

    @Test
    void takesOnlyTrueAndFalseAsBooleans() {
        String text = """
                apiVersion: tidepool.io/v1
                kind: Host
                metadata: {name: h}
                spec: {cell: c, unschedulable: yes}
                """;

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:4:32: Host/h: spec.unschedulable: expected true or false, got \"yes\"");
    }

    @Test
    void rejectsNullWhereAListOrMapNeedsAValue() {
        String text = endpointYaml("shop").replace("{version: \"15\"}", "{version: \"15\", settings: {work_mem: ~}}")
                + "  restartWindow: {days: [Sat, null], start: \"02:00\", duration: 2h}\n";

        assertThat(errorsOf(text)).containsExactly(
                "m.yaml:7:50: Endpoint/shop: spec.postgres.settings.work_mem: expected a string, got null",
                "m.yaml:8:31: Endpoint/shop: spec.restartWindow.days[1]: expected a day: Mon, Tue, Wed, Thu, Fri, Sat or Sun,"
                        + " got null");
    }

    @Test
    void rejectsTagsThatManifestsDoNotUse() {
        String text = endpointYaml("shop").replace("cell: eu-1a", "cell: !custom eu-1a");

        assertThat(onlyErrorOf(text)).isEqualTo("m.yaml:5:9: Endpoint/shop: spec.cell: expected a string, got a value tagged"
                + " !custom, a tag manifests do not use");
    }

    @Test
    void rejectsADocumentThatIsNotAMapping() {
        assertThat(onlyErrorOf("- a\n- b\n")).isEqualTo("m.yaml:1:1: expected a document with apiVersion, kind, metadata and"
                + " spec, got a list");
    }

    @Test
    void keepsTheDocumentsBeforeASyntaxErrorAndSaysWhereItIs() {
        String text = endpointYaml("first") + "---\n" + endpointYaml("second").replace("cell: eu-1a", "cell: [eu-1a");

        ParsedManifests parsed = codec.decode("m.yaml", text);

        assertThat(parsed.documents()).extracting(d -> d.resource().name()).containsExactly("first");
        assertThat(parsed.errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(14);
            assertThat(error.message()).startsWith("invalid YAML: ");
        });
    }

    @Test
    void leavesOutOnlyTheDocumentsThatHaveErrors() {
        String text = endpointYaml("good") + "---\n" + endpointYaml("bad").replace("maxCu: 4", "maxCu: 4.1");

        ParsedManifests parsed = codec.decode("m.yaml", text);

        assertThat(parsed.documents()).extracting(d -> d.resource().name()).containsExactly("good");
        assertThat(parsed.errors()).extracting(ManifestError::object).containsExactly("Endpoint/bad");
    }

    @Test
    void namesTheObjectByKindAloneWhenItHasNoName() {
        String text = endpointYaml("x").replace("metadata: {name: x}", "metadata: {labels: {a: b}}").replace("4}", "0.3}");

        assertThat(onlyErrorOf(text)).startsWith("m.yaml:6:33: Endpoint: spec.compute.maxCu:");
    }
}
