package io.tidepool.server.hosts;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * One endpoint's size, both as its status says and as its compute's cgroup files say, sampled
 * whenever a test looks: the smallest of each ever seen, and each change, for assertions about
 * the whole way and for failure messages.
 */
final class SizeWatch {
    /** Tests look every few milliseconds: a fresher status than this is not worth a request. */
    private static final Duration REFRESH = Duration.ofMillis(50);
    private static final int CHANGES_KEPT = 500;

    private final LocalFleet fleet;
    private final String endpoint;
    private final ComputeCgroup cgroup;
    private final Instant startedAt = Instant.now();
    private final List<String> changes = new ArrayList<>();
    /** A decision made several times in a row is one line: which, where, how often. */
    private String repeated;
    private String repeatedFirstAt;
    private int repeatedLine;
    private int repeats;
    private Sample latest;
    private Cu smallestCu;
    private long smallestQuotaMicros = Long.MAX_VALUE;
    private long smallestMemoryLimitBytes = Long.MAX_VALUE;

    /** @param cgroup the cgroup of the endpoint's compute, which stays the same while it is watched */
    SizeWatch(LocalFleet fleet, String endpoint, ComputeCgroup cgroup) {
        this.fleet = fleet;
        this.endpoint = endpoint;
        this.cgroup = cgroup;
    }

    /**
     * @param status the endpoint's status
     * @param files  its compute's cgroup files at the same moment
     */
    record Sample(Instant at, Cu cu, CgroupSize files, JsonNode status) {
        /** Whether the status says {@code size} and the cgroup files are those of it. */
        boolean isAt(Cu size) {
            return size.equals(cu) && files.isOf(size);
        }
    }

    /** The size now (or at most {@link #REFRESH} ago). */
    Sample sample() {
        Instant now = Instant.now();
        if (latest != null && Duration.between(latest.at(), now).compareTo(REFRESH) < 0) {
            return latest;
        }
        JsonNode status = fleet.getJson("/api/v1/endpoints/" + endpoint).path("status");
        CgroupSize files;
        try {
            files = CgroupSize.of(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode size = status.path("cu");
        Cu cu = size.isValueNode() && !size.isNull() ? Cu.parse(size.asText()) : null;
        Sample sample = new Sample(now, cu, files, status);
        record(sample);
        latest = sample;
        return sample;
    }

    private void record(Sample sample) {
        if (sample.cu() != null && (smallestCu == null || sample.cu().compareTo(smallestCu) < 0)) {
            smallestCu = sample.cu();
        }
        smallestQuotaMicros = Math.min(smallestQuotaMicros, sample.files().quotaMicros());
        smallestMemoryLimitBytes = Math.min(smallestMemoryLimitBytes, sample.files().memoryLimitBytes());
        if (latest == null || !Objects.equals(latest.cu(), sample.cu()) || !latest.files().equals(sample.files())) {
            note(sinceStart(sample.at()) + sample.cu() + " CU, " + sample.files());
        }
        JsonNode decision = sample.status().path("lastDecision");
        if (decision.isMissingNode() || latest != null && decision.equals(latest.status().path("lastDecision"))) {
            return;
        }
        String explanation = "last decision: " + decision.path("explanation").asText();
        String madeAt = sinceStart(Instant.parse(decision.path("at").asText()));
        if (explanation.equals(repeated) && repeatedLine < changes.size()) {
            // The same decision made again and again (a loop): one line, counted.
            repeats++;
            changes.set(repeatedLine, repeatedFirstAt + explanation + " (" + repeats + " times in a row, the last at "
                    + madeAt.trim() + ")");
        } else {
            note(madeAt + explanation);
            repeated = explanation;
            repeatedFirstAt = madeAt;
            repeatedLine = changes.size() - 1;
            repeats = 1;
        }
    }

    private String sinceStart(Instant at) {
        return String.format("+%.2fs: ", Duration.between(startedAt, at).toMillis() / 1e3);
    }

    private void note(String change) {
        if (changes.size() < CHANGES_KEPT) {
            changes.add(change);
        }
        repeated = null;
    }

    /**
     * The first sample that {@code condition} accepts within {@link OneHostFleet#WAIT}; failing,
     * the message lists every change seen.
     */
    Sample await(String what, Predicate<Sample> condition) {
        try {
            return Await.value(OneHostFleet.WAIT, what, () -> {
                Sample sample = sample();
                return sample.cu() != null && condition.test(sample) ? sample : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; seen:\n" + changes(), e);
        }
    }

    /**
     * The autoscaler's latest decision about the endpoint's compute, holds included (which only
     * describe shows, from the leader's memory), or a missing node before the first.
     */
    JsonNode latestDecision() {
        JsonNode decisions = fleet.getJson("/api/v1/endpoints/" + endpoint + "/describe").path("latestDecisions");
        return decisions.path(decisions.size() - 1);
    }

    /** The smallest size the status gave. */
    Cu smallestCu() {
        return smallestCu;
    }

    /** The smallest quota and the smallest memory limit the files held, at whatever moments. */
    CgroupSize smallestFiles() {
        return new CgroupSize(smallestQuotaMicros, latest.files().periodMicros(), smallestMemoryLimitBytes);
    }

    /**
     * Every change seen, one a line in the order seen, with its time since the watch began (a
     * decision's own time, which may come just before the sample that saw it).
     */
    String changes() {
        return String.join("\n", changes);
    }
}
