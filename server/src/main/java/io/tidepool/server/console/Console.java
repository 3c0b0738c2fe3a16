package io.tidepool.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.console.ConsoleIndex.Change;
import io.tidepool.server.console.LiveViews.Rendered;
import io.tidepool.store.Leadership;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The web console of DESIGN section 9, served by every node under {@code /console}: pages (an HTML
 * shell and a script each), their data as JSON views under {@code /console/api/VIEW}, and the same
 * views live ({@code ?watch=true}, server-sent events). Every route but the login page and the
 * static files needs a console session or an admin's bearer token.
 */
public final class Console implements AutoCloseable {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final AutoCloseable NOTHING = () -> { };

    private final ResourceRegistry registry;
    private final ConsoleIndex index;
    private final LiveViews live;
    private final ConsoleLogin login;
    private final ConsoleAssets assets = new ConsoleAssets();
    private final Supplier<ControlLoop> leaderLoop;
    private final String nodeId;
    private final Leadership leadership;

    private Console(ResourceRegistry registry, TokenRegistry tokens, Supplier<ControlLoop> leaderLoop, String nodeId) {
        this.registry = registry;
        this.index = new ConsoleIndex(registry);
        this.live = new LiveViews(index);
        this.login = new ConsoleLogin(tokens);
        this.leaderLoop = leaderLoop;
        this.nodeId = nodeId;
        this.leadership = registry.store().leadership();
    }

    /** Starts following the store; the routes answer 503 until the first list is in. */
    public static Console start(ResourceRegistry registry, TokenRegistry tokens, Supplier<ControlLoop> leaderLoop, String nodeId) {
        Console console = new Console(registry, tokens, leaderLoop, nodeId);
        console.index.start();
        return console;
    }

    /** A new one-time login link: a path on any node, valid for {@link ConsoleLogin#CODE_LIFETIME}. */
    public LoginLink newLoginLink() {
        ConsoleLogin.Link link = login.newLink();
        return new LoginLink(link.path(), link.expiresAt().toString());
    }

    /** @param path {@code /console/login?code=...}, to put after a node's URL */
    public record LoginLink(String path, String expiresAt) {
    }

    public ConsoleIndex index() {
        return index;
    }

    public void routes(RoutesConfig routes) {
        routes.before("/console", Console::secure);
        routes.before("/console/*", Console::secure);
        routes.before("/console", login::require);
        routes.before("/console/*", login::require);
        routes.get(ConsoleLogin.LOGIN_PATH, login::login);
        routes.post("/console/logout", login::logout);
        routes.get("/console/assets/{file}", assets::serve);
        // Javalin ignores trailing slashes: "/console/" also answers "/console".
        for (ConsolePage.Kind page : ConsolePage.Kind.values()) {
            if (page.path != null) {
                routes.get("/console/" + page.path, ctx -> page(ctx, page, null));
            }
        }
        routes.get("/console/endpoints/{name}", ctx -> page(ctx, ConsolePage.Kind.endpoint, ctx.pathParam("name")));
        routes.get("/console/api/overview", ctx -> view(ctx, () -> rendered(
                OverviewView.of(index, nodeId, leadership.leaderId().orElse(null)), c -> c.kind() != Kind.EVENT)));
        routes.get("/console/api/cells", ctx -> view(ctx, () -> rendered(CellsView.of(index, leaderLoop.get(), notLeading()),
                c -> c.kind() == Kind.CELL || c.kind() == Kind.HOST)));
        routes.get("/console/api/hosts", this::hosts);
        routes.get("/console/api/endpoints", this::endpoints);
        routes.get("/console/api/endpoints/{name}", this::endpoint);
        routes.get("/console/api/moves", ctx -> view(ctx, () -> rendered(MovesView.of(index, leaderLoop.get(), notLeading()),
                c -> c.kind() == Kind.MIGRATION || c.moving())));
        routes.get("/console/api/events", this::events);
        routes.get("/console/api/sync", ctx -> view(ctx, () -> rendered(SyncView.of(index), c -> c.kind() == Kind.APPLY_SET)));
    }

    private void hosts(Context ctx) {
        HostsView.Query query = HostsView.Query.parse(ctx.queryParam("q"), ctx.queryParam("cell"), ctx.queryParam("sort"),
                ctx.queryParam("offset"), ctx.queryParam("limit"));
        view(ctx, () -> {
            HostsView view = HostsView.of(index, query);
            Set<String> shown = new HashSet<>();
            view.items().forEach(h -> shown.add(h.fill().name()));
            return rendered(view, c -> c.kind() == Kind.HOST || c.kind() == Kind.CELL
                    || c.kind() == Kind.COMPUTE && shown.contains(c.host()));
        });
    }

    private void endpoints(Context ctx) {
        EndpointQuery query = EndpointQuery.parse(ctx.queryParam("q"), ctx.queryParam("cell"), ctx.queryParam("phase"),
                ctx.queryParam("offset"), ctx.queryParam("limit"));
        view(ctx, () -> {
            EndpointsView view = EndpointsView.of(index, query);
            Set<String> shown = new HashSet<>();
            view.items().forEach(e -> shown.add(e.name()));
            // A change to a row shown, or to one that may join the page (the phase may be what changed).
            return rendered(view, c -> c.kind() == Kind.CELL || c.kind() == Kind.ENDPOINT
                    && (shown.contains(c.name()) || c.name().contains(query.search())));
        });
    }

    private void endpoint(Context ctx) {
        String name = ctx.pathParam("name");
        Supplier<Rendered> render = () -> {
            Endpoint endpoint = registry.get(Endpoint.class, Kind.ENDPOINT, name)
                    .orElseThrow(() -> new HttpResponseException(404, "Endpoint/" + name + " not found"));
            return rendered(EndpointView.of(endpoint, index, leaderLoop.get(), notLeading()),
                    c -> name.equals(c.endpoint()) || c.kind() == Kind.ENDPOINT && name.equals(c.name()));
        };
        ControlLoop leader = leaderLoop.get();
        view(ctx, render, onChange -> leader == null ? NOTHING : leader.timelines().listen(name, onChange));
    }

    private void events(Context ctx) {
        int offset = EndpointQuery.number("offset", ctx.queryParam("offset"), 0);
        int limit = EndpointQuery.number("limit", ctx.queryParam("limit"), EndpointQuery.DEFAULT_LIMIT);
        String search = ctx.queryParam("q");
        view(ctx, () -> rendered(EventsView.of(index, search, offset, limit), c -> c.kind() == Kind.EVENT));
    }

    private void page(Context ctx, ConsolePage.Kind page, String subject) {
        ConsoleLogin.noStore(ctx);
        ctx.html(ConsolePage.shell(page, subject, nodeId));
    }

    private void view(Context ctx, Supplier<Rendered> render) {
        view(ctx, render, onChange -> NOTHING);
    }

    private void view(Context ctx, Supplier<Rendered> render, Function<Runnable, AutoCloseable> alsoListen) {
        ConsoleLogin.noStore(ctx);
        if (!index.synced()) {
            throw new HttpResponseException(503, "the console is still reading the fleet from the store; try again in a moment");
        }
        if ("true".equals(ctx.queryParam("watch"))) {
            live.stream(ctx, render, alsoListen);
        } else {
            ctx.contentType("application/json").result(render.get().json());
        }
    }

    private static Rendered rendered(Object view, Predicate<Change> affectedBy) {
        return new Rendered(ConsoleJson.bytes(view), affectedBy);
    }

    private String notLeading() {
        return "the leader's soft state (timelines, the controllers' latest explanations) is kept in its memory, and this node ("
                + nodeId + ") does not lead" + leadership.leaderId().map(id -> ": open the console on " + id).orElse("");
    }

    private static void secure(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
    }

    @Override
    public void close() {
        live.close();
        index.close();
    }
}
