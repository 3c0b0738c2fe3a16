package io.tidepool.api.codec;

import io.tidepool.api.resource.Resource;

/**
 * One decoded document and where it came from, so that checks made later (by the validator, or
 * by the server against the store) can still point at the line and column of a field.
 */
public record ManifestDocument(Resource resource, SourcePosition position, FieldLocator locator) {

    /** A document with no source text behind it, such as an object built in code or read from the store. */
    public static ManifestDocument unlocated(Resource resource, String source) {
        SourcePosition start = SourcePosition.startOf(source);
        return new ManifestDocument(resource, start, FieldLocator.documentOnly(start));
    }

    /** An error about {@code field} of this document, placed where that field (or its nearest parent) was written. */
    public ManifestError error(String field, String message) {
        String name = resource.metadata() == null ? null : resource.metadata().name();
        return ManifestError.at(locator.at(field), ManifestError.objectName(resource.kind(), name), field, message);
    }
}
