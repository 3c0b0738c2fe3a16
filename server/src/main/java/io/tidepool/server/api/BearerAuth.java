package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.server.auth.TokenRegistry;

/** Refuses requests without a registered bearer token, before any handler runs. */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final TokenRegistry tokens;

    BearerAuth(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    void check(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith(PREFIX)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, "missing bearer token: send \"Authorization: Bearer TOKEN\" "
                    + "(tidepool up writes the token to the client config)");
        }
        if (!tokens.accepts(header.substring(PREFIX.length()).trim())) {
            throw new ApiError(401, "the bearer token is not valid on this cluster");
        }
    }
}
