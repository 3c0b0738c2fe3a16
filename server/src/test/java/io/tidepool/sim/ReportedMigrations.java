package io.tidepool.sim;

import io.tidepool.autoscale.ScalingObserver;
import io.tidepool.control.ControlObservers;
import io.tidepool.migration.MigrationEnd;
import io.tidepool.migration.MigrationObserver;
import io.tidepool.reconcile.ControllerObserver;
import io.tidepool.restart.RestartObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the migration controller of a simulated term reported. */
final class ReportedMigrations implements MigrationObserver {
    record End(MigrationEnd end, Duration took) {
    }

    final List<String> started = new CopyOnWriteArrayList<>();
    final List<End> ends = new CopyOnWriteArrayList<>();

    ControlObservers observers() {
        return new ControlObservers(name -> ControllerObserver.NONE, ScalingObserver.NONE, this, RestartObserver.NONE);
    }

    @Override
    public void started(String reason) {
        started.add(reason);
    }

    @Override
    public void finished(String reason, MigrationEnd end, Duration took) {
        ends.add(new End(end, took));
    }
}
