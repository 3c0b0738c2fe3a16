package io.tidepool.api.resource;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.quantity.RestartWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A tenant database as its owner declares it. */
public record Endpoint(ObjectMeta metadata, Spec spec, Status status) implements Resource {
    public static final String DEFAULT_POSTGRES_VERSION = "15";
    /** Postgres major versions a compute can run, oldest first. */
    public static final List<String> SUPPORTED_POSTGRES_VERSIONS = List.of("13", "14", "15", "16", "17");

    /**
     * @param suspendAfter  idle time after which the endpoint scales to zero; null means never
     * @param restartWindow when planned restarts may happen; null means at any time
     */
    public record Spec(String cell, ComputeRange compute, Postgres postgres, Duration suspendAfter,
                       RestartWindow restartWindow) {
        public Spec {
            postgres = postgres == null ? new Postgres(null, null) : postgres;
        }
    }

    public record ComputeRange(Cu minCu, Cu maxCu) {
    }

    public record Postgres(String version, Map<String, String> settings) {
        public Postgres {
            version = version == null ? DEFAULT_POSTGRES_VERSION : version;
            settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
        }
    }

    public enum Phase { Pending, Running, Scaling, Migrating, Restarting, Suspended, Failed }

    /** A scaling decision as {@code describe} shows it: when, from what to what, and why. */
    public record Decision(Instant at, Cu fromCu, Cu toCu, String explanation) {
    }

    /**
     * @param compute           the name of the primary compute, if one is placed
     * @param epoch             goes up each time a primary is placed on a new host (fencing); also
     *                          raised to a retired replacement's, so that no later compute of the
     *                          endpoint is named as one its host may still be stopping
     * @param resumeRequestedAt when a client last asked a suspended endpoint to wake up
     */
    public record Status(Phase phase, String host, Cu cu, String address, List<Condition> conditions,
                         Decision lastDecision, String compute, Long epoch, Instant resumeRequestedAt) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    @Override
    public Kind kind() {
        return Kind.ENDPOINT;
    }

    @Override
    public Endpoint withMetadata(ObjectMeta newMetadata) {
        return new Endpoint(newMetadata, spec, status);
    }

    @Override
    public Endpoint withoutStatus() {
        return new Endpoint(metadata, spec, null);
    }

    public Endpoint withStatus(Status newStatus) {
        return new Endpoint(metadata, spec, newStatus);
    }
}
