package io.tidepool.server.api;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.Kind;
import io.tidepool.control.ControlLoop;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.ApplyConflictException;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.server.auth.TokenRegistry;
import io.tidepool.server.console.Console;
import io.tidepool.server.metrics.ServerMetrics;
import io.tidepool.store.LimitExceededException;
import io.tidepool.store.Store;
import io.tidepool.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API of DESIGN section 9, on Javalin: every route under {@code /api} and {@code /metrics}
 * needs a bearer token; {@code /healthz} does not, so that load balancers can probe it.
 */
public final class ApiServer implements AutoCloseable {
    /** Largest request accepted: a manifest set of up to a few thousand objects. */
    public static final long MAX_REQUEST_BYTES = 32L * 1024 * 1024;
    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);

    private final Javalin app;
    private final WatchStream watches;
    private final Console console;

    private ApiServer(Javalin app, WatchStream watches, Console console) {
        this.app = app;
        this.watches = watches;
        this.console = console;
    }

    /** Starts serving on {@code host:port}; port 0 picks a free one (see {@link #port()}). */
    public static ApiServer start(Settings settings) {
        ResourceRegistry registry = new ResourceRegistry(settings.store());
        ManifestCodec codec = new ManifestCodec();
        ResourceRoutes resources = new ResourceRoutes(registry, settings.applier(), codec, settings.metrics()::recordApplied);
        DescribeRoute describe = new DescribeRoute(registry, settings.leaderLoop(), settings.nodeId());
        TimelineRoute timeline = new TimelineRoute(registry, settings.leaderLoop(), settings.nodeId());
        ResumeRoute resume = new ResumeRoute(registry, Clock.systemUTC());
        AgentRoutes agents = new AgentRoutes(registry, settings.leaderLoop(), settings.nodeId(), Clock.systemUTC());
        TokenRoute tokens = new TokenRoute(settings.tokens());
        DriftRoute drift = new DriftRoute(registry);
        AttemptRoute attempts = new AttemptRoute(settings.applier().applySets());
        ProgressRoute progress = new ProgressRoute(registry, Clock.systemUTC());
        PlanRoute plan = new PlanRoute(registry, settings.applier(), codec, Clock.systemUTC());
        WatchStream watches = new WatchStream(registry);
        BearerAuth auth = new BearerAuth(settings.tokens());
        ServerMetrics metrics = settings.metrics();
        Console console = Console.start(registry, settings.tokens(), settings.leaderLoop(), settings.nodeId());
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jsonMapper(new JavalinJackson(ResourceJson.mapper(), false));
            config.requestLogger.http((ctx, ms) -> metrics.recordRequest(
                    ctx.method().name(), routeOf(ctx), ctx.statusCode(), ms / 1000.0));
            config.routes.before("/api/*", auth::authenticate);
            config.routes.before("/metrics", auth::authenticate);
            config.routes.beforeMatched("/api/*", auth::authorize);
            config.routes.beforeMatched("/metrics", auth::authorize);
            config.routes.before(ctx -> settings.leaderHint(ctx));
            config.routes.get("/healthz", ctx -> health(ctx, settings));
            config.routes.get("/metrics", ctx -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                metrics.write(out);
                ctx.contentType(metrics.contentType()).result(out.toByteArray());
            });
            config.routes.post("/api/v1/apply", resources::apply);
            config.routes.post("/api/v1/progress", progress::handle);
            config.routes.post("/api/v1/plan", plan::handle);
            config.routes.post("/api/v1/tokens", tokens::create);
            config.routes.post("/api/v1/console-links", ctx -> JsonBody.write(ctx, 201, console.newLoginLink()));
            console.routes(config.routes);
            // Before /api/v1/{kind}, which it shadows, so that a host agent may list and watch its own computes.
            config.routes.get("/api/v1/computes", ctx -> listOrWatch(ctx, Kind.COMPUTE, resources, watches),
                    AgentAccess.HOST_IN_QUERY);
            config.routes.get("/api/v1/{kind}", ctx -> listOrWatch(ctx, ResourceRoutes.kindOf(ctx), resources, watches));
            config.routes.get("/api/v1/{kind}/{name}", resources::get);
            config.routes.get("/api/v1/{kind}/{name}/describe", describe::handle);
            config.routes.get("/api/v1/endpoints/{name}/timeline", timeline::handle);
            config.routes.get("/api/v1/applysets/{name}/drift", drift::handle);
            config.routes.post("/api/v1/applysets/{name}/attempts", attempts::record);
            config.routes.post("/api/v1/endpoints/{name}/resume", resume::handle);
            config.routes.post("/api/v1/hosts/{name}/register", agents::register, AgentAccess.HOST_IN_PATH);
            config.routes.post("/api/v1/hosts/{name}/heartbeat", agents::heartbeat, AgentAccess.HOST_IN_PATH);
            config.routes.put("/api/v1/computes/{name}/status", agents::status, AgentAccess.COMPUTE_IN_PATH);
            config.routes.post("/api/v1/computes/{name}/upscale-request", agents::upscaleRequest, AgentAccess.COMPUTE_IN_PATH);
            config.routes.put("/api/v1/{kind}/{name}", resources::put);
            config.routes.delete("/api/v1/{kind}/{name}", resources::delete);
            config.routes.exception(ApiError.class, (e, ctx) -> JsonBody.error(ctx, e.status(), e.getMessage()));
            config.routes.exception(ApplyConflictException.class, (e, ctx) -> JsonBody.error(ctx, 409, e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> JsonBody.error(ctx, e.getStatus(), e.getMessage()));
            // Before StoreException, its parent: a request too big for one transaction is the caller's to split, not an outage.
            config.routes.exception(LimitExceededException.class, (e, ctx) -> JsonBody.error(ctx, 413,
                    "too large to write in one transaction: " + e.getMessage() + "; split the manifests into several apply sets"));
            config.routes.exception(StoreException.class, (e, ctx) -> {
                log.warn("store unavailable for {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                JsonBody.error(ctx, 503, "the store is unavailable: " + e.getMessage());
            });
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> JsonBody.error(ctx, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.error("{} {} failed", ctx.method(), ctx.path(), e);
                JsonBody.error(ctx, 500, "internal error: " + e);
            });
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            console.close();
            throw e;
        }
        return new ApiServer(app, watches, console);
    }

    private static void listOrWatch(Context ctx, Kind kind, ResourceRoutes resources, WatchStream watches) throws Exception {
        if ("true".equals(ctx.queryParam("watch"))) {
            watches.handle(ctx, kind, ComputesOnHost.requested(ctx, kind));
        } else {
            resources.list(ctx, kind);
        }
    }

    private static void health(Context ctx, Settings settings) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", settings.nodeId());
        body.put("leader", settings.store().leadership().leaderId().orElse(null));
        body.put("isLeader", settings.store().leadership().isLeader());
        try {
            body.put("revision", settings.store().currentRevision());
            body.put("status", "ok");
            JsonBody.write(ctx, 200, body);
        } catch (StoreException e) {
            body.put("status", "store unavailable: " + e.getMessage());
            JsonBody.write(ctx, 503, body);
        }
    }

    private static String routeOf(Context ctx) {
        try {
            return ctx.endpoint().path;
        } catch (RuntimeException unmatched) {
            return "unmatched";
        }
    }

    public int port() {
        return app.port();
    }

    /** A new one-time console login link, as a path to put after this node's URL. */
    public String newConsoleLoginPath() {
        return console.newLoginLink().path();
    }

    @Override
    public void close() {
        watches.close();
        console.close();
        app.stop();
    }

    /**
     * What the API serves and how.
     *
     * @param host       the address to listen on ({@code 127.0.0.1} for this machine only)
     * @param port       0 to pick a free port
     * @param leaderLoop the controllers while this node leads, else null: describe shows their soft state
     */
    public record Settings(String nodeId, String host, int port, Store store, ManifestApplier applier,
                           TokenRegistry tokens, ServerMetrics metrics, Supplier<ControlLoop> leaderLoop) {
        // Writes reach the leader through the store either way; the header tells clients who leads.
        void leaderHint(Context ctx) {
            store.leadership().leaderId().ifPresent(id -> ctx.header("X-Tidepool-Leader", id));
        }
    }
}
