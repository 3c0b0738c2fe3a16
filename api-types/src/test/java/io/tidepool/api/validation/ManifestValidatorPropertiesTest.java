package io.tidepool.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ManifestDocument;
import io.tidepool.api.codec.ParsedManifests;
import io.tidepool.api.resource.ArbitraryResources;
import io.tidepool.api.resource.Cell;
import io.tidepool.api.resource.Resource;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ManifestValidatorPropertiesTest {
    private final ManifestCodec codec = new ManifestCodec();
    private final ManifestValidator validator = new ManifestValidator();

    @Property(tries = 150)
    void aValidManifestSetWrittenAsYamlDecodesAndValidatesClean(@ForAll("validSets") List<Resource> set) {
        String yaml = codec.toYaml(set);

        ParsedManifests parsed = codec.decode("generated.yaml", yaml);

        assertThat(parsed.errors()).as(yaml).isEmpty();
        assertThat(validator.validate(parsed.documents(), Map.of())).as(yaml).isEmpty();
    }

    @Property(tries = 100)
    void aValidSetStaysValidWhenItsCellsAreAlreadyInTheStore(@ForAll("validSets") List<Resource> set) {
        List<Cell> cells = set.stream().filter(Cell.class::isInstance).map(Cell.class::cast).toList();
        List<ManifestDocument> rest = set.stream().filter(r -> !(r instanceof Cell))
                .map(r -> ManifestDocument.unlocated(r, "generated")).toList();

        assertThat(validator.validate(rest, ValidManifestSets.byName(cells))).isEmpty();
    }

    @Property(tries = 300)
    void validatingAnyObjectsReportsErrorsAndNeverThrows(@ForAll("anyResources") List<Resource> resources) {
        List<ManifestDocument> documents = resources.stream().map(r -> ManifestDocument.unlocated(r, "generated")).toList();

        assertThat(validator.validate(documents, Map.of())).allSatisfy(error -> assertThat(error.message()).isNotBlank());
    }

    @Provide
    Arbitrary<List<Resource>> validSets() {
        return ValidManifestSets.sets();
    }

    @Provide
    Arbitrary<List<Resource>> anyResources() {
        return ArbitraryResources.anyResource().list().ofMaxSize(5);
    }
}
