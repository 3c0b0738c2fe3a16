package io.tidepool.api.resource;

import io.tidepool.api.quantity.Cu;
import java.util.List;

/** A failure-isolation unit: a pool of hosts with its own buffer, watermark and provider. */
public record Cell(ObjectMeta metadata, Spec spec, Status status) implements Resource {
    public static final double DEFAULT_WATERMARK = 0.9;
    public static final double DEFAULT_CPU_OVERCOMMIT = 1.0;
    public static final int DEFAULT_MAX_HOSTS = 100;

    public record Spec(
            HostShape hostTemplate,
            Buffer buffer,
            Double watermark,
            Double cpuOvercommit,
            Provider provider,
            Integer maxHosts) {
        public Spec {
            buffer = buffer == null ? new Buffer(Cu.ZERO) : buffer;
            watermark = watermark == null ? DEFAULT_WATERMARK : watermark;
            cpuOvercommit = cpuOvercommit == null ? DEFAULT_CPU_OVERCOMMIT : cpuOvercommit;
            provider = provider == null ? new Provider(ProviderType.STATIC) : provider;
            maxHosts = maxHosts == null ? DEFAULT_MAX_HOSTS : maxHosts;
        }
    }

    /** Spare capacity the cell keeps unallocated so that starts and upscales never wait on the provider. */
    public record Buffer(Cu spareCu) {
        public Buffer {
            spareCu = spareCu == null ? Cu.ZERO : spareCu;
        }
    }

    public record Provider(ProviderType type) {
        public Provider {
            type = type == null ? ProviderType.STATIC : type;
        }
    }

    /** Where a cell's hosts come from. */
    public enum ProviderType {
        /** Hosts register themselves when their agent starts. */
        STATIC("static"),
        /** Hosts are made up in process, for fleet tests and demos. */
        SIMULATED("simulated");

        private final String text;

        ProviderType(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public record Status(int hosts, Cu capacityCu, Cu allocatedCu, Cu spareCu, List<Condition> conditions) {
        public Status {
            conditions = conditions == null ? List.of() : List.copyOf(conditions);
        }
    }

    @Override
    public Kind kind() {
        return Kind.CELL;
    }

    @Override
    public Cell withMetadata(ObjectMeta newMetadata) {
        return new Cell(newMetadata, spec, status);
    }

    @Override
    public Cell withoutStatus() {
        return new Cell(metadata, spec, null);
    }

    public Cell withStatus(Status newStatus) {
        return new Cell(metadata, spec, newStatus);
    }
}
