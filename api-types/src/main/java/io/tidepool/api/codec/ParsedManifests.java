package io.tidepool.api.codec;

import java.util.List;

/**
 * What a manifest source decoded to. A document with any error is left out of {@code documents}
 * (its errors say why), so everything in {@code documents} is a complete object ready to validate.
 */
public record ParsedManifests(List<ManifestDocument> documents, List<ManifestError> errors) {
    public ParsedManifests {
        documents = List.copyOf(documents);
        errors = List.copyOf(errors);
    }

    public boolean ok() {
        return errors.isEmpty();
    }
}
