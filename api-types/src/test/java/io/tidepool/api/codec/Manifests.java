package io.tidepool.api.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The example manifests under src/test/resources/manifests. */
final class Manifests {

    private Manifests() {
    }

    static String read(String name) {
        try (InputStream in = Manifests.class.getResourceAsStream("/manifests/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test manifest " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
