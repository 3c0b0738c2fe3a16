/**
 * The endpoint proxy: each endpoint's stable address (a port of its own) in front of whichever
 * compute is its primary now. It reads the Postgres startup packet, wakes a suspended endpoint,
 * holds new connections for the moment of a switchover, then pipes bytes both ways and counts what
 * flows as the endpoint's activity. Where the primary runs on the proxy's own machine, new
 * connections skip the proxy: the kernel hands them to the primary's listener
 * ({@link ListenerSteering}, kept in step with the routes by {@link ConnectionSteering}). What to do
 * with a connection is decided by {@link Admission}, pure; sockets, threads and TLS stay in
 * {@link EndpointProxy} and {@link ClientConnection}.
 */
package io.tidepool.proxy;
