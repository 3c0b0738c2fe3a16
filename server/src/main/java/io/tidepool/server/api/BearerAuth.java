package io.tidepool.server.api;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import java.util.Optional;
import java.util.Set;

/**
 * Who may call what. Every request needs a registered bearer token before any handler runs (401
 * without). An admin's token may call every route; a host agent's token only the routes marked
 * with {@link AgentAccess}, for its own host and the computes on it (403 elsewhere), so a stolen
 * agent token cannot read other tenants' objects or change what is declared.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private static final String OWNER = "tidepool.token-owner";
    private final TokenRegistry tokens;

    BearerAuth(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    /** Runs before routing: refuses requests without a valid token and remembers whose it is. */
    void authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.startsWith(PREFIX)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new ApiError(401, "missing bearer token: send \"Authorization: Bearer TOKEN\" "
                    + "(tidepool up writes the token to the client config)");
        }
        TokenOwner owner = tokens.ownerOf(header.substring(PREFIX.length()).trim())
                .orElseThrow(() -> new ApiError(401, "the bearer token is not valid on this cluster"));
        ctx.attribute(OWNER, owner);
    }

    /** Runs once the route is known: what the token's owner may do there. */
    void authorize(Context ctx) {
        TokenOwner owner = ctx.attribute(OWNER);
        if (owner == null || owner.isAdmin()) {
            return;
        }
        String host = owner.host().orElseThrow(() -> new ApiError(403, "the token of " + owner + " may call no route"));
        Set<RouteRole> roles = ctx.routeRoles();
        boolean allowed = roles.contains(AgentAccess.COMPUTE_IN_PATH)
                || roles.contains(AgentAccess.HOST_IN_PATH) && host.equals(ctx.pathParam("name"))
                || roles.contains(AgentAccess.HOST_IN_QUERY) && host.equals(ctx.queryParam("host"));
        if (!allowed) {
            throw forbidden(host, ctx.method() + " " + ctx.path());
        }
    }

    /** For a route marked {@link AgentAccess#COMPUTE_IN_PATH}: refuses a host agent's token unless the compute is on its host. */
    static void requireOnHost(Context ctx, String computeHost, String what) {
        TokenOwner owner = ctx.attribute(OWNER);
        Optional<String> host = owner == null ? Optional.empty() : owner.host();
        if (host.isPresent() && !host.get().equals(computeHost)) {
            throw forbidden(host.get(), what + " (it is on " + (computeHost == null ? "no host" : "host " + computeHost) + ")");
        }
    }

    private static ApiError forbidden(String host, String what) {
        return new ApiError(403, "the token of host " + host + "'s agent may not " + what + ": it may only register and"
                + " heartbeat host " + host + ", list and watch computes with ?host=" + host
                + ", and report the status of and ask memory for the computes on it");
    }
}
