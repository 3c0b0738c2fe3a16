package io.tidepool.server.hosts;

import io.tidepool.control.ControlLoop;
import io.tidepool.process.ProcessDriver;
import io.tidepool.server.ControlPlane;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose tests each run a {@link OneHostFleet}: skips the class, saying why, where
 * the machine cannot run real computes, and closes the fleet a test started once that test ends.
 * Register it as a static field with {@code @RegisterExtension}.
 */
final class OneHostFleets implements BeforeAllCallback, AfterEachCallback {
    private OneHostFleet current;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        OneHostFleet.assumeRealComputes();
    }

    OneHostFleet start(Path dir, ControlLoop.Settings controllers, UnaryOperator<ProcessDriver.Settings> variant)
            throws Exception {
        current = OneHostFleet.start(dir, controllers, variant);
        return current;
    }

    OneHostFleet start(Path dir, ControlLoop.Settings controllers, UnaryOperator<ControlPlane.Config> plane,
                       UnaryOperator<ProcessDriver.Settings> variant) throws Exception {
        current = OneHostFleet.start(dir, controllers, plane, variant);
        return current;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
