package io.tidepool.server.auth;

import java.util.Optional;

/**
 * Who a token belongs to, as the store keeps it beside the token's hash: an admin
 * ({@code admin-NODE}, one per control-plane node) may do anything; the agent of one host
 * ({@code host:NAME}) may do only what an agent does, for that host; a console session
 * ({@code console-session}) may read the web console and nothing else; a console login code
 * ({@code console-login}) may only be exchanged, once, for a session. Any other owner may do nothing.
 */
public record TokenOwner(String name) {
    private static final String ADMIN_PREFIX = "admin-";
    private static final String HOST_PREFIX = "host:";
    public static final TokenOwner CONSOLE_LOGIN = new TokenOwner("console-login");
    public static final TokenOwner CONSOLE_SESSION = new TokenOwner("console-session");

    public TokenOwner {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a token owner needs a name");
        }
    }

    public static TokenOwner admin(String nodeId) {
        return new TokenOwner(ADMIN_PREFIX + nodeId);
    }

    public static TokenOwner host(String host) {
        return new TokenOwner(HOST_PREFIX + host);
    }

    public boolean isAdmin() {
        return name.startsWith(ADMIN_PREFIX);
    }

    /** Whether the owner may read the web console: a console session or an admin. */
    public boolean mayReadConsole() {
        return isAdmin() || equals(CONSOLE_SESSION);
    }

    /** The host whose agent owns the token; empty for any other owner. */
    public Optional<String> host() {
        return name.startsWith(HOST_PREFIX) ? Optional.of(name.substring(HOST_PREFIX.length())) : Optional.empty();
    }

    @Override
    public String toString() {
        return name;
    }
}
