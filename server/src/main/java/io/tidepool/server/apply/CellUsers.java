package io.tidepool.server.apply;

import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Host;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.registry.ResourceRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Which hosts and endpoints belong to a cell: a cell they still use must not be deleted, which would orphan them. */
public final class CellUsers {
    private static final int NAMES_SHOWN = 5;

    private CellUsers() {
    }

    /** The cell a host or an endpoint belongs to, or null for other kinds. */
    static String cellOf(Resource resource) {
        if (resource instanceof Host host) {
            return host.spec().cell();
        }
        if (resource instanceof Endpoint endpoint) {
            return endpoint.spec().cell();
        }
        return null;
    }

    static Set<String> referencedCells(Collection<Resource> objects) {
        return objects.stream().map(CellUsers::cellOf).filter(c -> c != null).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The stored hosts and endpoints of {@code cell}, as {@code Kind/name}. */
    public static List<String> of(ResourceRegistry registry, String cell) {
        return Stream.concat(registry.listAll(Kind.HOST).stream(), registry.listAll(Kind.ENDPOINT).stream())
                .filter(r -> cell.equals(cellOf(r))).map(Resource::ref).toList();
    }

    /**
     * For each cell among {@code pruned}, why it cannot go: the hosts and endpoints that would
     * still use it, stored and not pruned with it, or declared by the manifests. Empty when none.
     */
    static List<String> afterPrune(ResourceRegistry registry, List<Resource> pruned, List<Resource> declared) {
        Set<String> goneRefs = pruned.stream().map(Resource::ref).collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        for (Resource cell : pruned) {
            if (cell.kind() != Kind.CELL) {
                continue;
            }
            Set<String> users = new TreeSet<>();
            of(registry, cell.name()).stream().filter(ref -> !goneRefs.contains(ref)).forEach(users::add);
            declared.stream().filter(r -> cell.name().equals(cellOf(r))).map(Resource::ref).forEach(users::add);
            if (!users.isEmpty()) {
                problems.add(cell.ref() + ", which " + shortList(List.copyOf(users)) + " still use");
            }
        }
        return problems;
    }

    /** {@code Host/a, Endpoint/b and 3 more}. */
    public static String shortList(List<String> refs) {
        int shown = Math.min(NAMES_SHOWN, refs.size());
        return String.join(", ", refs.subList(0, shown)) + (refs.size() > shown ? " and " + (refs.size() - shown) + " more" : "");
    }
}
