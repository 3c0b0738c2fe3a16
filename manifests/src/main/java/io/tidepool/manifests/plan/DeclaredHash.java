package io.tidepool.manifests.plan;

import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Resource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A short fingerprint of what manifests own of an object (name, labels, annotations, spec): equal
 * for two objects exactly when an apply of one over the other would change nothing. An apply set
 * keeps it for each of its objects, so drift is found without keeping their manifests.
 */
public final class DeclaredHash {
    private static final int BYTES = 16;

    private DeclaredHash() {
    }

    public static String of(Resource resource) {
        Resource declared = resource.withoutStatus().withMetadata(resource.metadata().declaredOnly());
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(ResourceJson.encode(declared));
            return HexFormat.of().formatHex(digest, 0, BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
