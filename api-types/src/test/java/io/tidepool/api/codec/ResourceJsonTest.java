package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.api.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourceJsonTest {

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final Endpoint SHOP = new Endpoint(ObjectMeta.named("shop").withLabels(Map.of("b", "2", "a", "1")),
            new Endpoint.Spec("eu-1a", new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofQuarters(10)), null, null, null), null);

    @Test
    void writesCompactDeterministicJsonWithSortedMapsAndTheEnvelopeFirst() {
        assertThat(new String(ResourceJson.encode(SHOP), StandardCharsets.UTF_8)).isEqualTo("{\"apiVersion\":\"tidepool.io/v1\","
                + "\"kind\":\"Endpoint\",\"metadata\":{\"name\":\"shop\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}},\"spec\":{\"cell\":"
                + "\"eu-1a\",\"compute\":{\"minCu\":0.25,\"maxCu\":2.5},\"postgres\":{\"version\":\"15\"}}}");
    }

    @Test
    void readsAnyKindWhenNoTypeIsGiven() {
        Compute compute = new Compute(ObjectMeta.named("shop-1"),
                new Compute.Spec("shop", "h1", Cu.ofWhole(1), Compute.Role.primary, 7, null), null);

        assertThat(ResourceJson.decode(ResourceJson.encode(compute))).isEqualTo(compute);
    }

    @Test
    void readsTheSpecEvenWhenItComesBeforeTheKind() {
        String text = "{\"spec\":{\"cell\":\"eu-1a\",\"compute\":{\"minCu\":0.25,\"maxCu\":2.5}},\"metadata\":{\"name\":\"shop\","
                + "\"labels\":{\"a\":\"1\",\"b\":\"2\"}},\"kind\":\"Endpoint\",\"apiVersion\":\"tidepool.io/v1\"}";

        assertThat(ResourceJson.decode(json(text))).isEqualTo(SHOP);
    }

    @Test
    void readsQuantitiesFromTheirTextNeverThroughADouble() {
        String text = new String(ResourceJson.encode(SHOP), StandardCharsets.UTF_8).replace("2.5", "2.50000000000000000001");

        assertThatThrownBy(() -> ResourceJson.decode(json(text))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid resource JSON at spec.compute.maxCu: expected a multiple of 0.25 CU, got 2.50000000000000000001");
    }

    @Test
    void saysWhichFieldIsUnknown() {
        String text = "{\"apiVersion\":\"tidepool.io/v1\",\"kind\":\"Endpoint\",\"metadata\":{\"name\":\"shop\",\"lables\":{}}}";

        assertThatThrownBy(() -> ResourceJson.decode(json(text))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid resource JSON at metadata.lables: Unrecognized field \"lables\"");
    }

    @Test
    void refusesAnotherKindThanTheOneAskedFor() {
        assertThatThrownBy(() -> ResourceJson.decode(ResourceJson.encode(SHOP), Compute.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid Compute JSON: expected kind Compute, got Endpoint");
    }

    @Test
    void refusesAMissingOrForeignApiVersion() {
        assertThatThrownBy(() -> ResourceJson.decode(json("{\"kind\":\"Endpoint\",\"metadata\":{\"name\":\"shop\"}}")))
                .hasMessage("invalid resource JSON: missing apiVersion: expected tidepool.io/v1");
        assertThatThrownBy(() -> ResourceJson.decode(json("{\"apiVersion\":\"v1\",\"kind\":\"Endpoint\"}")))
                .hasMessage("invalid resource JSON: expected apiVersion tidepool.io/v1, got v1");
    }

    @Test
    void suggestsTheKindThatWasMeant() {
        assertThatThrownBy(() -> ResourceJson.decode(json("{\"apiVersion\":\"tidepool.io/v1\",\"kind\":\"Endpiont\"}")))
                .hasMessage("invalid resource JSON: unknown kind Endpiont: expected one of Cell, Host, Endpoint, Compute,"
                        + " Migration, Event, ApplySet; did you mean Endpoint?");
    }

    @Test
    void refusesTextThatIsNotJson() {
        assertThatThrownBy(() -> ResourceJson.decode(json("not json"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid resource JSON: Unrecognized token 'not'");
        assertThatThrownBy(() -> ResourceJson.decode(json("{\"apiVersion\":\"tidepool.io/v1\",\"kind\":\"Endpoint\"} {}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ResourceJson.decode(json("{\"apiVersion\":\"tidepool.io/v1\",\"apiVersion\":\"tidepool.io/v1\"}")))
                .hasMessageContaining("Duplicate field 'apiVersion'");
    }

    @Test
    void letsOtherModulesWriteResponsesWithTheSameForms() throws IOException {
        String text = ResourceJson.mapper().writeValueAsString(Map.of("items", List.<Resource>of(SHOP)));

        assertThat(text).contains("\"maxCu\":2.5").contains("\"kind\":\"Endpoint\"");
        assertThat(ResourceJson.mapper().readValue(ResourceJson.encode(SHOP), Endpoint.class)).isEqualTo(SHOP);
    }

    @Test
    void escapesWhatYamlCannotCarryRawSoThatJsonIsAlsoYaml() {
        Endpoint odd = SHOP.withMetadata(SHOP.metadata().withAnnotations(Map.of("x", "del\u007f nel\u0085 ls\u2028 bom\uFEFF")));

        String text = new String(ResourceJson.encode(odd), StandardCharsets.UTF_8);

        assertThat(text).contains("del\\u007F nel\\u0085 ls\\u2028 bom\\uFEFF");
        assertThat(new ManifestCodec().decode("odd.json", text).documents()).singleElement()
                .extracting(ManifestDocument::resource).isEqualTo(odd);
    }

    @Test
    void carriesManifestErrorsInResponsesAndBack() throws IOException {
        List<ManifestError> errors = List.of(new ManifestError("m.yaml", 3, 7, "Endpoint/shop", "spec.cell", "missing cell"),
                new ManifestError("m.yaml", 1, 1, null, null, "invalid YAML"));

        byte[] json = ResourceJson.mapper().writeValueAsBytes(errors);

        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("[{\"source\":\"m.yaml\",\"line\":3,\"column\":7,");
        assertThat(ResourceJson.mapper().readValue(json, ManifestError[].class)).containsExactlyElementsOf(errors);
    }
}
