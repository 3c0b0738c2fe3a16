package io.tidepool.buffer;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Condition;
import io.tidepool.capacity.HostCapacity;
import io.tidepool.reconcile.Backoff;
import java.time.Duration;
import java.util.List;

/**
 * Everything the buffer decision needs about one cell.
 *
 * @param cell               the cell's name, for explanations
 * @param spareTarget        {@code buffer.spareCu}: the free room below the watermark the cell keeps
 * @param maxHosts           the most hosts the cell may have, counting requests in flight
 * @param hostCapacity       what a host of the cell's template holds ({@link HostCapacity#capacity})
 * @param watermark          the cell's watermark, as a fraction of a host's capacity
 * @param hosts              the cell's hosts, including joining ones
 * @param requestsInFlight   requests the provider acknowledged and has not answered yet
 * @param provider           the provider's recent successes and failures
 * @param coolDown           how long a host must stay empty before it is given back
 * @param requestBackoff     how long to wait before asking again after consecutive failures
 * @param previousConditions the cell's conditions as last reported, to keep their transition times
 */
public record BufferInput(
        String cell,
        Cu spareTarget,
        int maxHosts,
        Cu hostCapacity,
        double watermark,
        List<BufferHost> hosts,
        int requestsInFlight,
        ProviderHealth provider,
        Duration coolDown,
        Backoff requestBackoff,
        List<Condition> previousConditions) {

    /** Ten seconds after the first failure, doubling up to ten minutes: an outage costs a few requests an hour. */
    public static final Backoff DEFAULT_REQUEST_BACKOFF = new Backoff(Duration.ofSeconds(10), Duration.ofMinutes(10));

    public BufferInput {
        if (maxHosts < 0 || requestsInFlight < 0) {
            throw new IllegalArgumentException("maxHosts and requests in flight cannot be negative: " + maxHosts + ", " + requestsInFlight);
        }
        if (!(watermark >= 0 && watermark <= 1)) {
            throw new IllegalArgumentException("watermark must be in [0, 1], got " + watermark);
        }
        if (coolDown.isNegative()) {
            throw new IllegalArgumentException("cool-down cannot be negative: " + coolDown);
        }
        hosts = List.copyOf(hosts);
        previousConditions = previousConditions == null ? List.of() : List.copyOf(previousConditions);
    }

    /** The room a new host brings below its watermark. */
    public Cu newHostSpare() {
        return HostCapacity.watermark(hostCapacity, watermark);
    }
}
