package io.tidepool.server.console;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The computes as rows, findable by host and by endpoint. One writer (the index's pump), many readers. */
final class ComputeRows {
    private final Map<String, ComputeRow> rows = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byHost = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> byEndpoint = new ConcurrentHashMap<>();

    void put(ComputeRow row) {
        unindex(rows.put(row.name(), row));
        index(byHost, row.host(), row.name());
        index(byEndpoint, row.endpoint(), row.name());
    }

    /** Removes a compute; returns its row, null when it was not held. */
    ComputeRow remove(String name) {
        ComputeRow row = rows.remove(name);
        unindex(row);
        return row;
    }

    Collection<ComputeRow> all() {
        return rows.values();
    }

    Set<String> names() {
        return rows.keySet();
    }

    /** The computes on a host, by name. */
    List<ComputeRow> onHost(String host) {
        return sorted(byHost.get(host));
    }

    /** The computes of an endpoint, by name. */
    List<ComputeRow> ofEndpoint(String endpoint) {
        return sorted(byEndpoint.get(endpoint));
    }

    private List<ComputeRow> sorted(Set<String> names) {
        if (names == null) {
            return List.of();
        }
        List<ComputeRow> found = new ArrayList<>(names.size());
        for (String name : names) {
            ComputeRow row = rows.get(name);
            if (row != null) {
                found.add(row);
            }
        }
        found.sort((a, b) -> a.name().compareTo(b.name()));
        return found;
    }

    private void unindex(ComputeRow row) {
        if (row != null) {
            unindex(byHost, row.host(), row.name());
            unindex(byEndpoint, row.endpoint(), row.name());
        }
    }

    private static void index(Map<String, Set<String>> index, String key, String name) {
        if (key != null) {
            index.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(name);
        }
    }

    private static void unindex(Map<String, Set<String>> index, String key, String name) {
        if (key != null) {
            index.computeIfPresent(key, (k, names) -> {
                names.remove(name);
                return names.isEmpty() ? null : names;
            });
        }
    }
}
