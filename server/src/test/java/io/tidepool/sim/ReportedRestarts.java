package io.tidepool.sim;

import io.tidepool.autoscale.ScalingObserver;
import io.tidepool.control.ControlObservers;
import io.tidepool.migration.MigrationObserver;
import io.tidepool.reconcile.ControllerObserver;
import io.tidepool.restart.RestartCause;
import io.tidepool.restart.RestartEnd;
import io.tidepool.restart.RestartObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the planned-restart controller of a simulated term reported. */
final class ReportedRestarts implements RestartObserver {
    record Switch(RestartCause cause, Duration took) {
    }

    final List<RestartCause> started = new CopyOnWriteArrayList<>();
    final List<Switch> switches = new CopyOnWriteArrayList<>();
    final List<RestartEnd> gaveUp = new CopyOnWriteArrayList<>();

    ControlObservers observers() {
        return new ControlObservers(name -> ControllerObserver.NONE, ScalingObserver.NONE, MigrationObserver.NONE, this);
    }

    @Override
    public void started(RestartCause cause) {
        started.add(cause);
    }

    @Override
    public void switched(RestartCause cause, Duration took) {
        switches.add(new Switch(cause, took));
    }

    @Override
    public void gaveUp(RestartCause cause, RestartEnd end) {
        gaveUp.add(end);
    }
}
