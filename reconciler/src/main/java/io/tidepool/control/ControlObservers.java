package io.tidepool.control;

import io.tidepool.autoscale.ScalingObserver;
import io.tidepool.migration.MigrationObserver;
import io.tidepool.reconcile.ControllerObserver;
import io.tidepool.restart.RestartObserver;
import java.util.function.Function;

/**
 * Who hears what the controllers of one term of leadership do, for metrics: the runtime of each
 * controller (by its name), and the autoscaler's, migrations' and restarts' committed decisions.
 * A server gives each term fresh ones, as it gives each term a fresh {@link ControlLoop};
 * simulations use {@link #NONE}.
 */
public record ControlObservers(Function<String, ControllerObserver> controllers, ScalingObserver scaling,
                               MigrationObserver migrations, RestartObserver restarts) {
    public static final ControlObservers NONE = new ControlObservers(name -> ControllerObserver.NONE,
            ScalingObserver.NONE, MigrationObserver.NONE, RestartObserver.NONE);
}
