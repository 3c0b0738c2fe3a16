package io.tidepool.server.api;

import io.javalin.security.RouteRole;

/**
 * Marks the routes a host agent's token may call, and how the route names the host it acts for.
 * A route with no mark is for admins only.
 */
enum AgentAccess implements RouteRole {
    /** The path's {@code {name}} is the host: register, heartbeat. */
    HOST_IN_PATH,
    /** The {@code ?host=} filter names the host: the list and watch of its computes. */
    HOST_IN_QUERY,
    /** The path's {@code {name}} is a compute: its handler checks, once it has read it, that it is on the host. */
    COMPUTE_IN_PATH
}
