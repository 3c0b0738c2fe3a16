package io.tidepool.server.hosts;

import io.tidepool.control.ControlLoop;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link ProxiedFleet} per test, for a static {@code @RegisterExtension} field: the class is
 * skipped, saying why, where the machine lacks what the process driver needs, and the fleet a
 * test started is closed after it.
 */
final class ProxiedFleets implements BeforeAllCallback, AfterEachCallback {
    private ProxiedFleet started;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ProxiedFleet.assumeProcessDriver();
    }

    ProxiedFleet start(Path dir, ControlLoop.Settings controllers) throws Exception {
        started = ProxiedFleet.start(dir, controllers);
        return started;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        ProxiedFleet fleet = started;
        started = null;
        if (fleet != null) {
            fleet.close();
        }
    }
}
