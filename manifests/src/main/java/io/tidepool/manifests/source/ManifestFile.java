package io.tidepool.manifests.source;

/** The text of one manifest file and the name errors should use for it. */
public record ManifestFile(String source, String text) {
}
