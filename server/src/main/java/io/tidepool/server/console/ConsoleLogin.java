package io.tidepool.server.console;

import io.javalin.http.Context;
import io.tidepool.server.auth.TokenOwner;
import io.tidepool.server.auth.TokenRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Logging in to the console: {@code tidepool up} (or {@code tidepool console-link}) prints a link
 * with a one-time code; opening it exchanges the code for a session held in an HttpOnly,
 * SameSite=Strict cookie. Codes and sessions are tokens of the {@link TokenRegistry}: only their
 * hashes are stored, they work on every node and across restarts, and each expires.
 */
final class ConsoleLogin {
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    static final String COOKIE = "tidepool_session";
    static final String LOGIN_PATH = "/console/login";
    private static final String BEARER = "Bearer ";

    private final TokenRegistry tokens;

    ConsoleLogin(TokenRegistry tokens) {
        this.tokens = tokens;
    }

    /** A new one-time login link, as a path on any node of the cluster, and when it stops working. */
    Link newLink() {
        String code = tokens.issue(TokenOwner.CONSOLE_LOGIN, CODE_LIFETIME);
        return new Link(LOGIN_PATH + "?code=" + code, Instant.now().plus(CODE_LIFETIME));
    }

    record Link(String path, Instant expiresAt) {
    }

    /** {@code GET /console/login[?code=C]}: exchanges the code, or says how to get one. */
    void login(Context ctx) {
        noStore(ctx);
        // The code is in this page's address: it must not travel on in a Referer.
        ctx.header("Referrer-Policy", "no-referrer");
        String code = ctx.queryParam("code");
        boolean loggedIn = sessionOwner(ctx).isPresent();
        if (code == null || code.isBlank()) {
            ctx.status(loggedIn ? 200 : 401).html(ConsolePage.loginNeeded(loggedIn, ctx.queryParam("from")));
            return;
        }
        TokenRegistry.Exchange exchange = tokens.exchange(code.trim(), SESSION_LIFETIME);
        if (exchange.outcome() != TokenRegistry.Exchange.Outcome.exchanged) {
            ctx.status(exchange.outcome() == TokenRegistry.Exchange.Outcome.unknown ? 404 : 410)
                    .html(ConsolePage.loginRefused(exchange.outcome(), exchange.at(), loggedIn));
            return;
        }
        ctx.header("Set-Cookie", COOKIE + "=" + exchange.session() + "; Path=/; Max-Age=" + SESSION_LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict");
        // A page of ours sends the browser on, not a redirect: a SameSite=Strict cookie set in answer to
        // a link followed from elsewhere is not sent on that navigation's redirect.
        ctx.status(200).html(ConsolePage.loggedIn());
    }

    /** {@code POST /console/logout}: ends the session everywhere and clears the cookie. */
    void logout(Context ctx) {
        tokens.revoke(ctx.cookie(COOKIE));
        ctx.header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict");
        ctx.redirect(LOGIN_PATH + "?from=logout", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /**
     * Before every console route but the login page and the static assets: a page without a session
     * goes to the login page; a view's data answers 401. An admin's bearer token also reads the console.
     */
    void require(Context ctx) {
        String path = ctx.path();
        if (path.equals(LOGIN_PATH) || path.startsWith("/console/assets/")) {
            return;
        }
        Optional<TokenOwner> owner = sessionOwner(ctx).or(() -> bearerOwner(ctx));
        if (owner.isPresent() && owner.get().mayReadConsole()) {
            return;
        }
        noStore(ctx);
        if (path.startsWith("/console/api/")) {
            throw new io.javalin.http.HttpResponseException(401,
                    "log in to the console with the link tidepool up printed (or tidepool console-link), or send an admin bearer token");
        }
        ctx.redirect(LOGIN_PATH, io.javalin.http.HttpStatus.FOUND);
        ctx.skipRemainingHandlers();
    }

    private Optional<TokenOwner> sessionOwner(Context ctx) {
        String session = ctx.cookie(COOKIE);
        return session == null || session.isEmpty() ? Optional.empty() : tokens.ownerOf(session);
    }

    private Optional<TokenOwner> bearerOwner(Context ctx) {
        String header = ctx.header("Authorization");
        return header == null || !header.startsWith(BEARER) ? Optional.empty() : tokens.ownerOf(header.substring(BEARER.length()).trim());
    }

    static void noStore(Context ctx) {
        ctx.header("Cache-Control", "no-store");
    }
}
