package io.tidepool.manifests.client;

/**
 * A one-time console login link as the server makes it.
 *
 * @param path      {@code /console/login?code=...}, to put after the server's URL
 * @param expiresAt when the link stops working (ISO-8601, UTC)
 */
public record ConsoleLink(String path, String expiresAt) {
}
