package io.tidepool.manifests.source;

/** A manifest path could not be read; the message names the path. */
public class ManifestReadException extends RuntimeException {
    public ManifestReadException(String message) {
        super(message);
    }
}
