package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.agent.HostToken;
import io.tidepool.api.agent.HostTokenRequest;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;

/**
 * {@code POST /api/v1/tokens} (admins only): makes a token for one host's agent, {@code {"host":
 * NAME}}, and answers it once (201); the store keeps only its hash.
 */
final class TokenRoute {
    private final TokenRegistry tokens;

    TokenRoute(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    void create(Context ctx) {
        HostTokenRequest request = ResourceJson.decodeMessage(ctx.bodyAsBytes(), HostTokenRequest.class);
        if (request == null) {
            throw ApiError.badRequest("expected {\"host\": NAME} in the request body, got null");
        }
        String token = tokens.issue(TokenOwner.host(request.host()));
        JsonBody.write(ctx, 201, new HostToken(request.host(), token));
    }
}
