package io.tidepool.event;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How many events each object may record: a token bucket per object (a burst, then one more per
 * refill period), as Kubernetes' event spam filter does, so that an endpoint whose size swings all
 * day cannot fill the store with events. Pure bookkeeping; times come from the caller.
 */
final class EventRate {
    private record Bucket(double tokens, Instant at) {
    }

    private final int burst;
    private final Duration refill;
    private final Map<String, Bucket> buckets = new HashMap<>();

    EventRate(int burst, Duration refill) {
        this.burst = burst;
        this.refill = refill;
    }

    /** Takes a token for {@code object} at {@code now}; false when it has none left. */
    boolean allow(String object, Instant now) {
        Bucket bucket = buckets.get(object);
        double tokens = bucket == null ? burst
                : Math.min(burst, bucket.tokens() + (double) Duration.between(bucket.at(), now).toMillis() / refill.toMillis());
        if (tokens < 1) {
            buckets.put(object, new Bucket(tokens, now));
            return false;
        }
        buckets.put(object, new Bucket(tokens - 1, now));
        return true;
    }

    /** Forgets the objects whose buckets are full again at {@code now}: they are as good as new. */
    void forgetFull(Instant now) {
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext(); ) {
            Bucket bucket = it.next().getValue();
            if (bucket.tokens() + (double) Duration.between(bucket.at(), now).toMillis() / refill.toMillis() >= burst) {
                it.remove();
            }
        }
    }
}
