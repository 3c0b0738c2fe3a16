package io.tidepool.api.codec;

import static io.tidepool.api.codec.ManifestCodecTest.endpointYaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BoundedParsingTest {
    /** Only a guard against hanging the build; speed itself is for benchmarks to measure. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(30);

    private static final String BILLION_LAUGHS = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata:
              name: lol
              annotations:
                a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
                b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
                c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
                d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
                e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
                f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
                g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
                h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
                i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
            """;

    private final ManifestCodec codec = new ManifestCodec();

    private static ManifestCodec codecWith(long maxFileBytes, long maxDocumentBytes, int maxDepth, int maxAliases, int maxDocuments) {
        return new ManifestCodec(new ManifestLimits(maxFileBytes, maxDocumentBytes, maxDepth, maxAliases, maxDocuments));
    }

    @Test
    void refusesABillionLaughsNamingTheFileTheLineAndTheLimit() {
        ParsedManifests parsed = assertTimeoutPreemptively(HANG_GUARD, () -> codec.decode("lol.yaml", BILLION_LAUGHS));

        assertThat(parsed.documents()).isEmpty();
        assertThat(parsed.errors()).extracting(ManifestError::format).containsExactly("lol.yaml:12:27: expected at most 50"
                + " aliases of lists or mappings in one document (ManifestLimits.maxAliases), found more; refusing what could"
                + " expand exponentially (\"billion laughs\")");
    }

    @Test
    void neverExpandsAliasesBeyondTheShapeOfAResourceEvenUnderTheAliasLimit() {
        // 40 aliases, within the limit, that would expand to 2^20 strings if anything followed them.
        StringBuilder text = new StringBuilder(endpointYaml("lol")).append("  doubling:\n    l0: &l0 [x, x]\n");
        for (int level = 1; level <= 20; level++) {
            text.append("    l").append(level).append(": &l").append(level)
                    .append(" [*l").append(level - 1).append(", *l").append(level - 1).append("]\n");
        }
        text.append("metadata2: {labels: *l20}\n");

        ParsedManifests parsed = assertTimeoutPreemptively(HANG_GUARD, () -> codec.decode("lol.yaml", text.toString()));

        assertThat(parsed.errors()).extracting(ManifestError::field).containsExactly("spec.doubling", "metadata2");
    }

    @Test
    void countsAliasesOfListsAndMappingsUpToTheLimit() {
        String twoAliases = endpointYaml("shop").replace("metadata: {name: shop}",
                "metadata: {name: shop, labels: &l {a: b}, annotations: *l}") + "---\n"
                + endpointYaml("shop2").replace("metadata: {name: shop2}", "metadata: {name: shop2, labels: &l {a: b}, annotations: *l}");

        assertThat(codecWith(1 << 20, 1 << 20, 32, 1, 100).decode("m.yaml", twoAliases).errors())
                .as("the limit is per document").isEmpty();
        assertThat(codecWith(1 << 20, 1 << 20, 32, 0, 100).decode("m.yaml", twoAliases).errors())
                .extracting(ManifestError::line).containsExactly(3);
    }

    @Test
    void doesNotCountAliasesOfScalars() {
        String text = endpointYaml("shop").replace("cell: eu-1a", "cell: &c eu-1a") + "  suspendAfter: 5m\n"
                + "metadata2: *c\n";

        ParsedManifests parsed = codecWith(1 << 20, 1 << 20, 32, 0, 100).decode("m.yaml", text);

        assertThat(parsed.errors()).extracting(ManifestError::field).containsExactly("metadata2");
    }

    @Test
    void refusesAFileLargerThanTheLimitBeforeReadingIt() {
        String text = endpointYaml("shop") + "# " + "x".repeat(2000) + "\n";

        ParsedManifests parsed = codecWith(1000, 1000, 32, 50, 100).decode("big.yaml", text);

        assertThat(parsed.errors()).extracting(ManifestError::format).containsExactly("big.yaml:1:1: expected a file of at"
                + " most 1000 bytes (ManifestLimits.maxFileBytes), got " + text.length() + " bytes");
    }

    @Test
    void countsTheFileInUtf8Bytes() {
        String text = endpointYaml("shop") + "# " + "\u00e9".repeat(500) + "\n";

        assertThat(codecWith(1000, 1000, 32, 50, 100).decode("big.yaml", text).errors())
                .singleElement().extracting(ManifestError::message).asString().contains("got " + (text.length() + 500) + " bytes");
    }

    @Test
    void refusesADocumentLargerThanTheLimitButNotAFileOfSmallDocuments() {
        String small = endpointYaml("shop");
        ManifestCodec codec = codecWith(1 << 20, small.length() + 10, 32, 50, 100);

        assertThat(codec.decode("many.yaml", (small + "---\n").repeat(20)).errors()).isEmpty();
        String big = small + "  suspendAfter: " + "1".repeat(200) + "m\n";
        assertThat(codec.decode("big.yaml", small + "---\n" + big).errors()).extracting(ManifestError::format)
                .containsExactly("big.yaml:8:1: expected a document of at most " + (small.length() + 10)
                        + " characters (ManifestLimits.maxDocumentBytes), found a larger one");
    }

    @Test
    void refusesNestingDeeperThanTheLimit() {
        String deep = endpointYaml("shop") + "extra: " + "[".repeat(40) + "]".repeat(40) + "\n";

        ParsedManifests parsed = codec.decode("deep.yaml", deep);

        assertThat(parsed.errors()).extracting(ManifestError::format).containsExactly("deep.yaml:8:39: expected lists and"
                + " mappings nested at most 32 deep (ManifestLimits.maxDepth), found deeper nesting");
    }

    @Test
    void acceptsNestingExactlyAtTheLimit() {
        // The document, spec and compute mappings are three levels.
        assertThat(codecWith(1 << 20, 1 << 20, 3, 50, 100).decode("m.yaml", endpointYaml("shop")).errors()).isEmpty();
        assertThat(codecWith(1 << 20, 1 << 20, 2, 50, 100).decode("m.yaml", endpointYaml("shop")).errors()).hasSize(1);
    }

    @Test
    void refusesMoreDocumentsThanTheLimit() {
        String text = (endpointYaml("shop") + "---\n").repeat(3);

        ParsedManifests parsed = codecWith(1 << 20, 1 << 20, 32, 50, 2).decode("many.yaml", text);

        assertThat(parsed.errors()).extracting(ManifestError::format)
                .containsExactly("many.yaml:16:1: expected at most 2 documents in one file (ManifestLimits.maxDocuments), found more");
    }

    @Test
    void survivesAnAliasThatContainsItself() {
        String text = endpointYaml("shop").replace("metadata: {name: shop}", "metadata: &m {name: shop, labels: *m}");

        ParsedManifests parsed = assertTimeoutPreemptively(HANG_GUARD, () -> codec.decode("loop.yaml", text));

        assertThat(parsed.errors()).extracting(ManifestError::field).containsExactly("metadata.labels.labels");
    }
}
