package io.tidepool.server.sync;

import io.tidepool.manifests.sync.GitCommitSource;
import io.tidepool.manifests.sync.RoundReport;
import io.tidepool.manifests.sync.SyncLoop;
import io.tidepool.manifests.sync.SyncPolicy;
import io.tidepool.manifests.sync.SyncRound;
import io.tidepool.reconcile.LeaderGate;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.apply.DriftRecorder;
import io.tidepool.server.apply.ManifestApplier;
import io.tidepool.store.Store;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the leader does for apply sets, and only while it leads: checks every set's drift now and
 * then, and, when configured, runs the git sync, a fresh one each term that starts from what the
 * set records (so a new leader neither re-applies the commit in force nor forgets it).
 */
public final class LeaderSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LeaderSync.class);
    public static final Duration DRIFT_CHECK_EVERY = Duration.ofSeconds(10);

    private final LeaderGate gate;
    private final AtomicInteger terms = new AtomicInteger();

    /** @param cacheRoot where the repository's cache clone is kept */
    public LeaderSync(Store store, ManifestApplier applier, Optional<SyncSettings> sync, Path cacheRoot, Clock clock,
                      Duration driftCheckEvery) {
        ResourceRegistry registry = new ResourceRegistry(store);
        this.gate = new LeaderGate(store.leadership(), () -> startTerm(applier,
                new DriftRecorder(registry, applier.applySets(), clock), sync, cacheRoot, clock, driftCheckEvery));
    }

    private AutoCloseable startTerm(ManifestApplier applier, DriftRecorder drift, Optional<SyncSettings> sync, Path cacheRoot,
                                    Clock clock, Duration driftCheckEvery) {
        int term = terms.incrementAndGet();
        ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "apply-sets-" + term);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> checkDrift(drift), driftCheckEvery.toMillis(), driftCheckEvery.toMillis(),
                TimeUnit.MILLISECONDS);
        Optional<SyncLoop> loop = sync.map(settings -> {
            SyncRound round = new SyncRound(GitCommitSource.open(settings.repo(), settings.branch(), settings.path(), cacheRoot),
                    new ServerApplySet(applier, drift, settings.set()), SyncPolicy.DEFAULT, settings.selfHeal(), clock);
            return new SyncLoop(round, settings.interval(),
                    (task, delay) -> executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS),
                    report -> log(settings.set(), report));
        });
        loop.ifPresent(SyncLoop::start);
        return () -> {
            loop.ifPresent(SyncLoop::close);
            // A git command in flight is stopped by the interrupt (its process is killed), not waited for.
            executor.shutdownNow();
            executor.awaitTermination(30, TimeUnit.SECONDS);
            drift.close();
        };
    }

    private static void checkDrift(DriftRecorder drift) {
        try {
            drift.recordAll();
        } catch (RuntimeException e) {
            // A store between leaders, say: the next check tries again; a thrown task would never run again.
            log.warn("checking the drift of apply sets failed: {}", e.toString());
        }
    }

    private static void log(String set, RoundReport report) {
        boolean failed = report.outcome().filter(o -> !o.inForce()).isPresent();
        if (failed) {
            log.warn("sync {}: {}", set, report.line());
            report.errors().forEach(e -> log.warn("sync {}: error: {}", set, e));
        } else if (report.outcome().isPresent() || !report.drifted().isEmpty()) {
            log.info("sync {}: {}", set, report.line());
        } else {
            log.debug("sync {}: {}", set, report.line());
        }
    }

    /** Whether this node runs the leader's apply-set work now. */
    public boolean running() {
        return gate.running();
    }

    @Override
    public void close() {
        gate.close();
    }
}
