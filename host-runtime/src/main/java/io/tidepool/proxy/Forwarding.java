package io.tidepool.proxy;

/**
 * How the proxy moves a connection's bytes once it may route it, from the cheapest; each falls back
 * to the next where the machine or the connection does not allow it.
 */
public enum Forwarding {
    /**
     * A new connection to an endpoint whose primary listens on this machine goes straight to that
     * Postgres ({@link ListenerSteering}): the proxy has no part in it. Connections the proxy holds
     * (a resume, a switchover) and those to primaries on other machines are spliced. Not with TLS:
     * a client that asks for it is answered by the proxy, which terminates it.
     */
    STEER,
    /** The kernel moves a plain-text connection's bytes once its startup is done ({@link KernelSplice}). */
    SPLICE,
    /** The proxy copies every byte itself, on two threads per connection. */
    COPY
}
