package io.tidepool.api.agent;

/**
 * A token made for one host's agent, as the server answers it once; only its hash is kept.
 *
 * @param host  the host whose agent may use it
 * @param token the bearer token itself
 */
public record HostToken(String host, String token) {
    public HostToken {
        if (host == null || token == null || token.isEmpty()) {
            throw new IllegalArgumentException("a host token needs its host and the token");
        }
    }
}
