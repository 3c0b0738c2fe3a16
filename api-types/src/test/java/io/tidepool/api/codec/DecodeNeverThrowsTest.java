package io.tidepool.api.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever text arrives, decoding reports errors with a place; it never throws. */
class DecodeNeverThrowsTest {
    private static final String EXAMPLE = Manifests.read("design-example.yaml");
    private static final String SNIPPETS = ":-[]{},#&*!|>'\"%@`\t\n ~?0.5e1234xyzGiMi";

    private final ManifestCodec codec = new ManifestCodec();

    @Property(tries = 300)
    void aDamagedManifestDecodesToErrorsThatEachHaveAPlace(@ForAll("damagedExamples") String text) {
        ParsedManifests parsed = codec.decode("damaged.yaml", text);

        assertThat(parsed.errors()).allSatisfy(error -> {
            assertThat(error.source()).isEqualTo("damaged.yaml");
            assertThat(error.line()).isPositive();
            assertThat(error.column()).isPositive();
            assertThat(error.message()).isNotBlank();
        });
    }

    @Property(tries = 200)
    void arbitraryTextDecodesWithoutThrowing(@ForAll("yamlishText") String text) {
        ParsedManifests parsed = codec.decode("noise.yaml", text);

        assertThat(parsed.documents().size() + parsed.errors().size()).isGreaterThanOrEqualTo(0);
    }

    @Provide
    Arbitrary<String> damagedExamples() {
        Arbitrary<Damage> damage = Combinators.combine(Arbitraries.integers().between(0, EXAMPLE.length() - 1),
                Arbitraries.integers().between(0, 2), Arbitraries.strings().withChars(SNIPPETS).ofMinLength(1).ofMaxLength(4))
                .as(Damage::new);
        return damage.list().ofMinSize(1).ofMaxSize(5).map(DecodeNeverThrowsTest::applyAll);
    }

    @Provide
    Arbitrary<String> yamlishText() {
        return Arbitraries.strings().withChars(SNIPPETS).withCharRange('a', 'z').ofMaxLength(200);
    }

    /** Delete, insert or overwrite a few characters at one place. */
    private record Damage(int at, int kind, String text) {
        String applyTo(String original) {
            int position = Math.min(at, original.length());
            return switch (kind) {
                case 0 -> original.substring(0, position) + original.substring(Math.min(original.length(), position + text.length()));
                case 1 -> original.substring(0, position) + text + original.substring(position);
                default -> original.substring(0, position) + text
                        + original.substring(Math.min(original.length(), position + text.length()));
            };
        }
    }

    private static String applyAll(List<Damage> damages) {
        String text = EXAMPLE;
        for (Damage damage : damages) {
            text = damage.applyTo(text);
        }
        return text;
    }
}
