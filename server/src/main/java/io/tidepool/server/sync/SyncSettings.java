package io.tidepool.server.sync;

import io.tidepool.api.quantity.DurationFormat;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import java.time.Duration;
import java.util.Optional;

/**
 * What the sync inside the server follows: one branch of one repository under one path, applied
 * into one apply set every {@code interval}.
 */
public record SyncSettings(RepositoryAddress repo, Optional<String> branch, RepositoryPath path, Duration interval,
                           boolean selfHeal, String set) {
    public SyncSettings {
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("the sync interval must be at least 1s, got " + DurationFormat.format(interval));
        }
    }

    /** {@code REPO branch B path P into apply set S, every 30s, self-heal}, for the start-up banner and the log. */
    public String describe() {
        return repo.shown() + " branch " + branch.orElse("(its HEAD)") + " path " + path + " into apply set " + set
                + ", every " + DurationFormat.format(interval) + (selfHeal ? ", self-heal" : "");
    }
}
