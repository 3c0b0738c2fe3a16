package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.ArbitraryResources;
import io.tidepool.api.resource.Resource;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RoundTripTest {
    private final ManifestCodec codec = new ManifestCodec();

    @Property(tries = 200)
    void everyResourceSurvivesYamlUnchanged(@ForAll("resources") Resource resource) {
        String yaml = codec.toYaml(resource);

        ParsedManifests parsed = codec.decode("generated.yaml", yaml);

        assertThat(parsed.errors()).as(yaml).isEmpty();
        assertThat(parsed.documents()).as(yaml).singleElement().extracting(ManifestDocument::resource).isEqualTo(resource);
    }

    @Property(tries = 50)
    void manyResourcesSurviveOneMultiDocumentYamlUnchanged(@ForAll("resourceLists") List<Resource> resources) {
        String yaml = codec.toYaml(resources);

        ParsedManifests parsed = codec.decode("generated.yaml", yaml);

        assertThat(parsed.errors()).as(yaml).isEmpty();
        assertThat(parsed.documents()).extracting(ManifestDocument::resource).containsExactlyElementsOf(resources);
    }

    @Property(tries = 200)
    void everyResourceSurvivesCompactJsonUnchanged(@ForAll("resources") Resource resource) {
        byte[] json = ResourceJson.encode(resource);

        assertThat(ResourceJson.decode(json)).as(new String(json, StandardCharsets.UTF_8)).isEqualTo(resource);
        assertThat(ResourceJson.decode(json, resource.getClass())).isEqualTo(resource);
    }

    @Property(tries = 100)
    void indentedJsonReadsBackThroughTheManifestCodec(@ForAll("resources") Resource resource) {
        String json = codec.toJson(resource);

        ParsedManifests parsed = codec.decode("generated.json", json);

        assertThat(parsed.errors()).as(json).isEmpty();
        assertThat(parsed.documents()).as(json).singleElement().extracting(ManifestDocument::resource).isEqualTo(resource);
    }

    @Property(tries = 100)
    void equalResourcesEncodeToEqualBytes(@ForAll("resources") Resource resource) {
        Resource copy = ResourceJson.decode(ResourceJson.encode(resource));

        assertThat(ResourceJson.encode(copy)).isEqualTo(ResourceJson.encode(resource));
        assertThat(codec.toYaml(copy)).isEqualTo(codec.toYaml(resource));
    }

    @Provide
    Arbitrary<Resource> resources() {
        return ArbitraryResources.anyResource();
    }

    @Provide
    Arbitrary<List<Resource>> resourceLists() {
        return ArbitraryResources.anyResource().list().ofMaxSize(6);
    }
}
