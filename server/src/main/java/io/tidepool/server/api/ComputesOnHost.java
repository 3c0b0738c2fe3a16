package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.resource.Compute;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.Resource;
import io.tidepool.api.validation.ManifestValidator;
import io.tidepool.registry.ResourceKeys;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.store.KeyValue;
import io.tidepool.store.WatchEvent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The computes of one host, as its agent lists and watches them ({@code ?host=NAME}). A watch
 * tells of a compute that leaves the host (deleted, or placed on another) as a DELETE, as a
 * Kubernetes watch with a selector does, so that the agent stops it.
 *
 * <p>The store's events do not carry the value before a change, so the filter keeps the set of
 * computes on the host: from a list taken as the watch starts, then from each event. History the
 * list already reflects (a client resuming from an earlier revision) leaves open whether a
 * compute was on the host before its first change there; such a compute, when it is not on the
 * host afterwards, is told as a DELETE anyway, which an agent that never ran it ignores.
 */
final class ComputesOnHost {
    private final String host;
    private final long sendFrom;
    private final long listedRevision;
    private final Set<String> onHost = new HashSet<>();
    /** Computes changed in history the list reflects, whose state before that is now known. */
    private final Set<String> changedSinceFrom = new HashSet<>();

    /**
     * @param listed   every compute, listed as the watch starts
     * @param sendFrom the first revision the client asked for; earlier events only update the set
     */
    ComputesOnHost(String host, ResourceRegistry.Page listed, long sendFrom) {
        this.host = host;
        this.sendFrom = sendFrom;
        this.listedRevision = listed.revision();
        for (Resource compute : listed.items()) {
            if (isOn(compute, host)) {
                onHost.add(compute.name());
            }
        }
    }

    /** The {@code ?host=} filter of a list or watch; only computes have one. */
    static Optional<String> requested(Context ctx, Kind kind) {
        String host = ctx.queryParam("host");
        if (host == null) {
            return Optional.empty();
        }
        if (kind != Kind.COMPUTE) {
            throw ApiError.badRequest("host: only computes can be filtered by host, not " + kind.plural());
        }
        ManifestValidator.nameProblem(host).ifPresent(problem -> {
            throw ApiError.badRequest("host: " + problem);
        });
        return Optional.of(host);
    }

    static boolean isOn(Resource resource, String host) {
        return resource instanceof Compute compute && host.equals(compute.spec().host());
    }

    /** The events the client is told: the host's computes as they change, and a DELETE for each that leaves. */
    List<WatchEvent> filter(List<WatchEvent> events) {
        List<WatchEvent> told = new ArrayList<>();
        for (WatchEvent event : events) {
            String key = event.kv().key();
            String name = key.substring(ResourceKeys.prefix(Kind.COMPUTE).length());
            boolean before = wasOnHost(name, event);
            boolean after = event.type() == WatchEvent.Type.PUT && isOn(ResourceRegistry.decode(event.kv()), host);
            if (after) {
                onHost.add(name);
            } else {
                onHost.remove(name);
            }
            if (event.revision() < sendFrom) {
                continue;
            }
            if (after) {
                told.add(event);
            } else if (before) {
                KeyValue kv = event.kv();
                told.add(new WatchEvent(WatchEvent.Type.DELETE, new KeyValue(key, null, kv.createRevision(), kv.modRevision(), 0)));
            }
        }
        return told;
    }

    private boolean wasOnHost(String name, WatchEvent event) {
        if (event.revision() > listedRevision || event.revision() < sendFrom || !changedSinceFrom.add(name)) {
            return onHost.contains(name);
        }
        // Its first change since the client's revision, already counted in the list: unknown before
        // it, unless this change made it.
        return event.kv().createRevision() != event.revision();
    }
}
