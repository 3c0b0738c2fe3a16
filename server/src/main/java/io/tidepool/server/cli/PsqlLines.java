package io.tidepool.server.cli;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.reconcile.Informer;
import io.tidepool.reconcile.InformerThread;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.Store;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Tells the user of {@code up} how to reach each endpoint: a psql line whenever one starts serving
 * at an address it was not announced at. With the endpoint proxy (real Postgres) that is once per
 * endpoint, when it first runs: its address is the proxy's and stays across moves, restarts and
 * suspends. Without it, a move, a restart or a resume gives the endpoint another address, and a
 * new line. Endpoints are followed with an informer on the store's watch. Only addresses psql
 * takes are announced: a simulated compute's {@code sim://} address is not one.
 */
final class PsqlLines implements AutoCloseable {
    private final PrintWriter out;
    /** The address each endpoint was last announced at; only the follower thread touches it once started. */
    private final Map<String, String> announced = new HashMap<>();
    private final InformerThread follower;

    private PsqlLines(Informer<Endpoint> endpoints, PrintWriter out) {
        this.out = out;
        this.follower = new InformerThread(endpoints, "psql-lines", "for their psql lines");
    }

    /**
     * Lists the endpoints, and announces none of them from what the store holds now: after a
     * restart of {@code up}, their statuses may still describe computes that died with it. Each is
     * announced at its first change that finds it Running, even at the address it had (the
     * proxy's, which stays across the restart). Nothing is printed before {@link #start}.
     */
    static PsqlLines follow(Store store, PrintWriter out) {
        Informer<Endpoint> endpoints = new Informer<>(new ResourceRegistry(store), Kind.ENDPOINT, Endpoint.class);
        endpoints.start();
        PsqlLines lines = new PsqlLines(endpoints, out);
        endpoints.addHandler(lines::onChange);
        return lines;
    }

    /**
     * The line that tells how to connect to {@code endpoint} now, if it has just started serving
     * at an address psql takes.
     *
     * @param announcedAddress the address the endpoint was last announced at, or null
     * @param status           the endpoint's new status, or null
     */
    static Optional<String> line(String endpoint, String announcedAddress, Endpoint.Status status) {
        if (status == null || status.phase() != Endpoint.Phase.Running || !takenByPsql(status.address())
                || status.address().equals(announcedAddress)) {
            return Optional.empty();
        }
        return Optional.of("endpoint " + endpoint + ": psql " + shellQuoted(status.address()));
    }

    /** A libpq URI; anything with control characters is not printed to a terminal. */
    private static boolean takenByPsql(String address) {
        return address != null && (address.startsWith("postgresql://") || address.startsWith("postgres://"))
                && address.chars().noneMatch(Character::isISOControl);
    }

    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /** Prints lines from now on. */
    void start() {
        follower.start();
    }

    private void onChange(Endpoint before, Endpoint after) {
        if (after == null) {
            announced.remove(before.name());
            return;
        }
        Optional<String> line = line(after.name(), announced.get(after.name()), after.status());
        if (line.isPresent()) {
            announced.put(after.name(), after.status().address());
            out.println(line.get());
            out.flush();
        }
    }

    @Override
    public void close() {
        follower.close();
    }
}
