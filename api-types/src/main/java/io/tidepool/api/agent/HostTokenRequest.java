package io.tidepool.api.agent;

import io.tidepool.api.validation.ManifestValidator;

/**
 * An admin's request for a token that one host's agent authenticates with. The token lets it do
 * only what an agent does, and only for that host and its computes.
 *
 * @param host the host's name, as its agent registers it
 */
public record HostTokenRequest(String host) {
    public HostTokenRequest {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("missing host: expected the name of the host whose agent uses the token");
        }
        ManifestValidator.nameProblem(host).ifPresent(problem -> {
            throw new IllegalArgumentException("host: " + problem);
        });
    }
}
