package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.MilliCpu;
import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Condition;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.HostShape;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestCodecTest {
    private final ManifestCodec codec = new ManifestCodec();

    @Test
    void decodesTheDesignExampleIntoACellAHostAndAnEndpoint() {
        ParsedManifests parsed = codec.decode("design-example.yaml", Manifests.read("design-example.yaml"));

        assertThat(parsed.ok()).as(parsed.errors().toString()).isTrue();
        assertThat(parsed.documents()).extracting(ManifestDocument::resource).containsExactly(
                new Cell(ObjectMeta.named("eu-1a"), new Cell.Spec(new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64)),
                        new Cell.Buffer(Cu.ofWhole(8)), 0.9, 1.0, new Cell.Provider(Cell.ProviderType.STATIC), 50), null),
                new Host(ObjectMeta.named("eu-1a-h1"),
                        new Host.Spec("eu-1a", new HostShape(MilliCpu.ofCpus(16), Bytes.ofGibibytes(64)), false), null),
                new Endpoint(ObjectMeta.named("shop").withLabels(Map.of("team", "web")), new Endpoint.Spec("eu-1a",
                        new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(4)),
                        new Endpoint.Postgres("15", Map.of("max_connections", "200")), Duration.ofMinutes(5),
                        new RestartWindow(List.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), LocalTime.of(2, 0),
                                Duration.ofHours(2), ZoneId.of("UTC"))), null));
    }

    @Test
    void placesEachDocumentAndFieldAtItsLineAndColumn() {
        ManifestDocument endpoint = codec.decode("design-example.yaml", Manifests.read("design-example.yaml")).documents().get(2);

        assertThat(endpoint.position()).isEqualTo(new SourcePosition("design-example.yaml", 18, 1));
        assertThat(endpoint.locator().at("spec.compute.maxCu")).isEqualTo(new SourcePosition("design-example.yaml", 23, 33));
        assertThat(endpoint.locator().at("spec.restartWindow.days[1]")).isEqualTo(new SourcePosition("design-example.yaml", 26, 31));
        assertThat(endpoint.locator().at("metadata.labels.team")).isEqualTo(new SourcePosition("design-example.yaml", 20, 39));
        assertThat(endpoint.locator().at("spec.compute")).isEqualTo(new SourcePosition("design-example.yaml", 23, 3));
    }

    @Test
    void placesAFieldThatWasNotWrittenAtItsNearestWrittenParent() {
        ManifestDocument endpoint = codec.decode("design-example.yaml", Manifests.read("design-example.yaml")).documents().get(2);

        assertThat(endpoint.locator().at("spec.compute.nothingHere")).isEqualTo(endpoint.locator().at("spec.compute"));
        assertThat(endpoint.locator().at("status.phase")).isEqualTo(endpoint.position());
        assertThat(endpoint.error("spec.compute.minCu", "too small").format())
                .isEqualTo("design-example.yaml:23:20: Endpoint/shop: spec.compute.minCu: too small");
    }

    @Test
    void readsJsonIndentedWithTabs() {
        ParsedManifests parsed = codec.decode("billing-endpoint.json", Manifests.read("billing-endpoint.json"));

        assertThat(parsed.errors()).isEmpty();
        Endpoint endpoint = (Endpoint) parsed.documents().get(0).resource();
        assertThat(endpoint.spec().compute()).isEqualTo(new Endpoint.ComputeRange(Cu.ofQuarters(2), Cu.ofQuarters(10)));
        assertThat(endpoint.metadata().annotations()).containsEntry("owner", "tab\there, \"quoted\"");
        assertThat(parsed.documents().get(0).locator().at("spec.compute.maxCu"))
                .isEqualTo(new SourcePosition("billing-endpoint.json", 7, 38));
    }

    @Test
    void skipsEmptyDocuments() {
        String text = "---\n---\n# nothing here\n---\n" + endpointYaml("shop") + "---\n";

        ParsedManifests parsed = codec.decode("sparse.yaml", text);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.documents()).extracting(d -> d.resource().name()).containsExactly("shop");
    }

    @Test
    void keepsTheStatusOfADecodedObject() {
        String text = endpointYaml("shop") + """
                status:
                  phase: Running
                  host: eu-1a-h1
                  cu: 1.5
                  conditions:
                  - {type: Ready, status: "True", lastTransitionTime: "2024-05-01T10:00:00.123456789Z"}
                """;

        Endpoint endpoint = (Endpoint) codec.decode("shop.yaml", text).documents().get(0).resource();

        assertThat(endpoint.status().phase()).isEqualTo(Endpoint.Phase.Running);
        assertThat(endpoint.status().cu()).isEqualTo(Cu.ofQuarters(6));
        assertThat(endpoint.status().conditions()).containsExactly(new Condition("Ready", Condition.Status.True, null, null,
                Instant.parse("2024-05-01T10:00:00.123456789Z")));
    }

    @Test
    void takesAnUnquotedNumberAsTheTextOfAStringField() {
        String text = endpointYaml("shop").replace("version: \"15\"", "version: 15, settings: {max_connections: 200, jit: off}");

        Endpoint endpoint = (Endpoint) codec.decode("shop.yaml", text).documents().get(0).resource();

        assertThat(endpoint.spec().postgres().version()).isEqualTo("15");
        assertThat(endpoint.spec().postgres().settings()).containsEntry("max_connections", "200").containsEntry("jit", "off");
    }

    @Test
    void readsCountryCodesAndDatesAsTextTheWayYaml12Does() {
        String text = endpointYaml("shop").replace("metadata: {name: shop}",
                "metadata: {name: shop, labels: {country: no, since: 2024-05-01, time: 12:30}}");

        ObjectMeta metadata = codec.decode("shop.yaml", text).documents().get(0).resource().metadata();

        assertThat(metadata.labels()).containsEntry("country", "no").containsEntry("since", "2024-05-01").containsEntry("time", "12:30");
    }

    @Test
    void mergesKeysFromAnAnchorWithinADocument() {
        String text = """
                apiVersion: tidepool.io/v1
                kind: Endpoint
                metadata:
                  name: shop
                  labels: &common {team: web, tier: gold}
                  annotations:
                    <<: *common
                    tier: silver
                spec: {cell: eu-1a, compute: {minCu: 1, maxCu: 2}}
                """;

        ParsedManifests parsed = codec.decode("merge.yaml", text);

        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.documents().get(0).resource().metadata().annotations())
                .isEqualTo(Map.of("team", "web", "tier", "silver"));
    }

    @Test
    void writesYamlInDocumentOrderWithQuantitiesInTheirCanonicalText() {
        Endpoint endpoint = new Endpoint(ObjectMeta.named("shop").withLabels(Map.of("team", "web")), new Endpoint.Spec("eu-1a",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofQuarters(10)), new Endpoint.Postgres("15", Map.of()),
                Duration.ofMinutes(5), new RestartWindow(List.of(DayOfWeek.SATURDAY), LocalTime.of(2, 0), Duration.ofMinutes(90),
                        ZoneId.of("Europe/Berlin"))),
                new Endpoint.Status(Endpoint.Phase.Running, null, Cu.ofWhole(2), null, List.of(), null, null, null, null));

        assertThat(codec.toYaml(endpoint)).isEqualTo("""
                apiVersion: tidepool.io/v1
                kind: Endpoint
                metadata:
                  name: shop
                  labels:
                    team: web
                spec:
                  cell: eu-1a
                  compute:
                    minCu: 0.25
                    maxCu: 2.5
                  postgres:
                    version: "15"
                  suspendAfter: 5m
                  restartWindow:
                    days:
                    - Sat
                    start: "02:00"
                    duration: 1h30m
                    timeZone: Europe/Berlin
                status:
                  phase: Running
                  cu: 2
                """);
    }

    @Test
    void writesCpusAndMemoryTheWayOperatorsWriteThem() {
        Cell cell = new Cell(ObjectMeta.named("tiny"), new Cell.Spec(new HostShape(new MilliCpu(500), Bytes.ofMebibytes(512)),
                null, null, null, new Cell.Provider(Cell.ProviderType.SIMULATED), null), null);

        assertThat(codec.toYaml(cell)).contains("""
                  hostTemplate:
                    cpus: 500m
                    memory: 512Mi
                  buffer:
                    spareCu: 0
                  watermark: 0.9
                  cpuOvercommit: 1.0
                  provider:
                    type: simulated
                  maxHosts: 100
                """);
    }

    @Test
    void writesSeveralResourcesAsDocumentsSeparatedByDashes() {
        List<Resource> resources = codec.decode("design-example.yaml", Manifests.read("design-example.yaml")).documents()
                .stream().map(ManifestDocument::resource).toList();

        String yaml = codec.toYaml(resources);

        assertThat(yaml.split("(?m)^---$")).hasSize(3);
        assertThat(codec.decode("again.yaml", yaml).documents()).extracting(ManifestDocument::resource)
                .containsExactlyElementsOf(resources);
    }

    @Test
    void writesIndentedJsonInDocumentOrder() {
        Host host = new Host(ObjectMeta.named("h1"), new Host.Spec("eu-1a", new HostShape(MilliCpu.ofCpus(8), Bytes.ofGibibytes(32)), null),
                null);

        assertThat(codec.toJson(host)).isEqualTo("""
                {
                  "apiVersion": "tidepool.io/v1",
                  "kind": "Host",
                  "metadata": {
                    "name": "h1"
                  },
                  "spec": {
                    "cell": "eu-1a",
                    "capacity": {
                      "cpus": 8,
                      "memory": "32Gi"
                    },
                    "unschedulable": false
                  }
                }
                """);
    }

    static String endpointYaml(String name) {
        return """
                apiVersion: tidepool.io/v1
                kind: Endpoint
                metadata: {name: %s}
                spec:
                  cell: eu-1a
                  compute: {minCu: 0.25, maxCu: 4}
                  postgres: {version: "15"}
                """.formatted(name);
    }
}
