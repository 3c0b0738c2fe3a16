package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.ObjectMeta;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldLocatorTest {
    private static final SourcePosition DOCUMENT = new SourcePosition("m.yaml", 10, 1);

    @Test
    void buildsDottedIndexedAndQuotedPaths() {
        assertThat(FieldLocator.field("", "spec")).isEqualTo("spec");
        assertThat(FieldLocator.field("spec", "compute")).isEqualTo("spec.compute");
        assertThat(FieldLocator.element("spec.restartWindow.days", 1)).isEqualTo("spec.restartWindow.days[1]");
        assertThat(FieldLocator.entry("metadata.labels", "team")).isEqualTo("metadata.labels.team");
        assertThat(FieldLocator.entry("metadata.labels", "app.kubernetes.io/name"))
                .isEqualTo("metadata.labels[\"app.kubernetes.io/name\"]");
        assertThat(FieldLocator.entry("a", "say \"hi\"")).isEqualTo("a[\"say \\\"hi\\\"\"]");
    }

    @Test
    void findsTheNearestWrittenParentOfAnyPath() {
        SourcePosition labels = new SourcePosition("m.yaml", 12, 3);
        SourcePosition days = new SourcePosition("m.yaml", 20, 5);
        FieldLocator locator = new FieldLocator(DOCUMENT, Map.of("metadata.labels", labels, "spec.restartWindow.days", days));

        assertThat(locator.at("metadata.labels[\"app.kubernetes.io/name\"]")).isEqualTo(labels);
        assertThat(locator.at("metadata.labels[\"a[\\\"b\"]")).isEqualTo(labels);
        assertThat(locator.at("spec.restartWindow.days[3]")).isEqualTo(days);
        assertThat(locator.at("spec.restartWindow.start")).isEqualTo(DOCUMENT);
        assertThat(locator.at("kind")).isEqualTo(DOCUMENT);
    }

    @Test
    void placesEverythingAtTheDocumentWhenNothingWasWritten() {
        ManifestDocument document = ManifestDocument.unlocated(new Host(ObjectMeta.named("h1"), null, null), "request body");

        assertThat(document.error("spec.cell", "missing cell").format()).isEqualTo("request body:1:1: Host/h1: spec.cell: missing cell");
    }

    @Test
    void formatsAnErrorWithoutTheObjectOrFieldWhenTheyAreNotKnown() {
        assertThat(new ManifestError("m.yaml", 3, 7, null, null, "invalid YAML").format()).isEqualTo("m.yaml:3:7: invalid YAML");
        assertThat(new ManifestError("m.yaml", 3, 7, "Cell/a", null, "bad").format()).isEqualTo("m.yaml:3:7: Cell/a: bad");
    }
}
