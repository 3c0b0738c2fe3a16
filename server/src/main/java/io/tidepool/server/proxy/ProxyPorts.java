package io.tidepool.server.proxy;

import io.tidepool.store.Compare;
import io.tidepool.store.KeyValue;
import io.tidepool.store.Op;
import io.tidepool.store.Store;
import io.tidepool.store.Txn;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which proxy port each endpoint has, kept in the store so that an endpoint keeps its port across
 * restarts of {@code up} or the server, and every node of a cluster gives it the same one. Two
 * keys per endpoint, written together with compares on both: {@code ports/ENDPOINT} holds the port
 * and {@code taken/PORT} the endpoint, so two nodes assigning at once never give one port twice.
 */
public final class ProxyPorts {
    static final String PORTS = "/tidepool/proxy/ports/";
    static final String TAKEN = "/tidepool/proxy/taken/";
    private static final int ATTEMPTS = 20;

    private final Store store;
    private final PortRange range;
    /** The assignments this node has made or read. */
    private final Map<String, Integer> known = new ConcurrentHashMap<>();

    public ProxyPorts(Store store, PortRange range) {
        this.store = store;
        this.range = range;
    }

    /**
     * The endpoint's port; empty before it was assigned. Read from the store the first time, then
     * remembered: an endpoint keeps its port for as long as it exists.
     */
    public Optional<Integer> of(String endpoint) {
        Integer port = known.get(endpoint);
        if (port != null) {
            return Optional.of(port);
        }
        Optional<Integer> stored = store.get(PORTS + endpoint).map(kv -> Integer.parseInt(new String(kv.value(),
                StandardCharsets.UTF_8)));
        stored.ifPresent(found -> known.put(endpoint, found));
        return stored;
    }

    /** The endpoint's port, given it now if it has none. */
    public int assign(String endpoint) {
        Integer port = known.get(endpoint);
        if (port != null) {
            return port;
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<KeyValue> existing = store.get(PORTS + endpoint);
            if (existing.isPresent()) {
                int found = Integer.parseInt(new String(existing.get().value(), StandardCharsets.UTF_8));
                known.put(endpoint, found);
                return found;
            }
            Set<Integer> taken = new HashSet<>();
            for (KeyValue kv : store.range(TAKEN).items()) {
                taken.add(Integer.parseInt(kv.key().substring(TAKEN.length())));
            }
            OptionalInt free = range.firstFree(taken);
            if (free.isEmpty()) {
                throw new IllegalStateException("no proxy port left for endpoint " + endpoint + ": all of " + range
                        + " are taken; give the proxy a wider range (--proxy-ports)");
            }
            int chosen = free.getAsInt();
            boolean written = store.txn(Txn.of(List.of(Compare.absent(PORTS + endpoint), Compare.absent(TAKEN + chosen)),
                    List.of(new Op.Put(PORTS + endpoint, bytes(Integer.toString(chosen))),
                            new Op.Put(TAKEN + chosen, bytes(endpoint))))).succeeded();
            if (written) {
                known.put(endpoint, chosen);
                return chosen;
            }
        }
        throw new IllegalStateException("could not give endpoint " + endpoint + " a proxy port: the assignments kept changing");
    }

    /** Gives the deleted endpoint's port back. */
    public void release(String endpoint) {
        known.remove(endpoint);
        Optional<KeyValue> stored = store.get(PORTS + endpoint);
        if (stored.isPresent()) {
            int port = Integer.parseInt(new String(stored.get().value(), StandardCharsets.UTF_8));
            store.txn(Txn.of(List.of(Compare.modRevisionIs(PORTS + endpoint, stored.get().modRevision())),
                    List.of(new Op.Delete(PORTS + endpoint), new Op.Delete(TAKEN + port))));
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
