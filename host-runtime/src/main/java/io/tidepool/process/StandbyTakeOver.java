package io.tidepool.process;

import io.tidepool.postgres.PostgresServer;
import io.tidepool.standby.ControlData;
import io.tidepool.standby.Lsn;
import io.tidepool.standby.Replication;
import io.tidepool.standby.TakeOver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streaming standby the store has promoted takes over its endpoint. The store promotes only
 * after the old primary's host reported it Stopped, so no other primary writes now; {@link TakeOver}
 * decides between pg_promote and a start on the old primary's data from what each side holds.
 * After a promotion the endpoint's data pointer moves to the standby's directory before the
 * compute reports Running, and the old directory goes.
 *
 * @param restartOnOldData starts Postgres on the old primary's data in place of the standby
 */
record StandbyTakeOver(EndpointData data, HostedCompute standby, BiConsumer<HostedCompute, Path> restartOnOldData) {
    private static final Logger log = LoggerFactory.getLogger(StandbyTakeOver.class);

    void run() {
        String name = standby.name();
        try {
            Path oldData = data.current();
            TakeOver decision = TakeOver.decide(controlData(oldData), received());
            if (decision instanceof TakeOver.Promote promote) {
                log.info("{} takes over by promotion: {}", name, promote.why());
                promote(oldData);
            } else if (decision instanceof TakeOver.StartOnOldData fallback) {
                log.warn("{} takes over on the old primary's data {}: {}", name, oldData, fallback.why());
                startOnOldData(oldData);
            } else if (decision instanceof TakeOver.Refuse refuse) {
                log.error("{} cannot take over: {}", name, refuse.why());
                standby.failTakeOver("cannot take over: " + refuse.why());
            }
        } catch (IOException | RuntimeException e) {
            log.error("{} failed to take over", name, e);
            standby.failTakeOver("taking over failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void promote(Path oldData) throws IOException, InterruptedException {
        try {
            Replication.promote(standby.server);
        } catch (SQLException e) {
            if (stillStandby()) {
                log.warn("{}: the promotion failed ({}); starting on the old primary's data instead", standby.name(), e.getMessage());
                startOnOldData(oldData);
                return;
            }
        }
        data.pointAt(standby.server.config().dataDir());
        data.announcePrimary(standby.server.config().port());
        standby.promotedNow();
        try {
            data.remove(oldData);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("the former data of {} stays at {}: {}", standby.name(), oldData, e.getMessage());
        }
    }

    private void startOnOldData(Path oldData) throws IOException, InterruptedException {
        standby.stop();
        data.remove(standby.server.config().dataDir());
        restartOnOldData.accept(standby, oldData);
    }

    private boolean stillStandby() {
        try {
            return Replication.inRecovery(standby.server);
        } catch (SQLException e) {
            return true; // cannot tell: its data is not trusted as the endpoint's
        }
    }

    private Optional<ControlData> controlData(Path oldData) throws InterruptedException {
        if (!Files.isRegularFile(oldData.resolve("PG_VERSION"))) {
            return Optional.empty();
        }
        PostgresServer.Config own = standby.server.config();
        PostgresServer old = new PostgresServer(new PostgresServer.Config(own.binaries(), own.user(), oldData, own.socketDir(),
                own.port(), own.logFile()));
        try {
            return ControlData.parse(old.controlData());
        } catch (IOException e) {
            log.warn("pg_controldata of {} failed: {}", oldData, e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<Lsn> received() {
        try {
            return Replication.received(standby.server);
        } catch (SQLException e) {
            log.warn("how far {} received WAL is not known: {}", standby.name(), e.getMessage());
            return Optional.empty();
        }
    }
}
