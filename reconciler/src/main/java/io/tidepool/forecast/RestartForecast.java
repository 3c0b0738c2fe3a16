package io.tidepool.forecast;

import io.tidepool.api.quantity.RestartWindow;
import io.tidepool.restart.RestartNeed;
import io.tidepool.restart.RestartWindows;
import java.time.Instant;
import java.util.Optional;

/** Whether an endpoint change restarts its compute, and when: now, or when its restart window opens. */
final class RestartForecast {

    private RestartForecast() {
    }

    static Optional<String> of(Forecast.EndpointChange change, Instant now) {
        if (change.primary() == null) {
            return Optional.empty();
        }
        RestartNeed need = RestartNeed.between(change.declared().spec().postgres(), change.primary().spec().postgres());
        if (need.restartChanges().isEmpty()) {
            return need.reloadChanges().isEmpty() ? Optional.empty()
                    : Optional.of("reloads its settings, no restart: " + String.join(", ", need.reloadChanges()));
        }
        String what = "restart for " + String.join(", ", need.restartChanges());
        RestartWindow window = change.declared().spec().restartWindow();
        if (window == null) {
            return Optional.of(what + " starts now (no restart window): it switches to a warm replacement");
        }
        if (RestartWindows.isOpen(window, now)) {
            return Optional.of(what + " starts now, inside its window (open until " + RestartWindows.closesAt(window, now) + ")");
        }
        return Optional.of(what + " waits for its window, which opens at " + RestartWindows.nextOpening(window, now));
    }
}
