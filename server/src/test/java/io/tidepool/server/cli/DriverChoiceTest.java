package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.manifests.cli.CliException;
import io.tidepool.server.hosts.LocalMachine;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which driver {@code up} runs, from what was asked and what the machine has. */
class DriverChoiceTest {
    private static final Optional<String> EVERYTHING_THERE = LocalMachine.processDriverUnavailable(true, CgroupLayout.Version.V1, "root");

    @Test
    void autoRunsRealPostgresWhereRootCgroupsAndPostgresAreThere() {
        DriverChoice choice = DriverChoice.of(UpCommand.Driver.auto, EVERYTHING_THERE);

        assertThat(choice.driver()).isEqualTo(UpCommand.Driver.process);
        assertThat(choice.label()).startsWith("process (auto: ").contains("root", "cgroups", "Postgres");
    }

    @Test
    void autoFallsBackToSimSayingWhatIsMissing() {
        DriverChoice noPostgres = DriverChoice.of(UpCommand.Driver.auto,
                LocalMachine.processDriverUnavailable(false, CgroupLayout.Version.V2, "root"));
        DriverChoice noCgroups = DriverChoice.of(UpCommand.Driver.auto,
                LocalMachine.processDriverUnavailable(true, CgroupLayout.Version.NONE, "root"));
        DriverChoice notRoot = DriverChoice.of(UpCommand.Driver.auto,
                LocalMachine.processDriverUnavailable(true, CgroupLayout.Version.V2, "alice"));

        assertThat(noPostgres.driver()).isEqualTo(UpCommand.Driver.sim);
        assertThat(noPostgres.label()).isEqualTo("sim (auto: no Postgres 15 found; apt-get install postgresql-15)");
        assertThat(noCgroups.driver()).isEqualTo(UpCommand.Driver.sim);
        assertThat(noCgroups.label()).isEqualTo("sim (auto: no cgroups with the cpu and memory controllers)");
        assertThat(notRoot.driver()).isEqualTo(UpCommand.Driver.sim);
        assertThat(notRoot.label()).startsWith("sim (auto: not root;");
    }

    @Test
    void aDriverAskedForByNameIsAnnouncedWithoutAReason() {
        assertThat(DriverChoice.of(UpCommand.Driver.sim, EVERYTHING_THERE).label()).isEqualTo("sim");
        assertThat(DriverChoice.of(UpCommand.Driver.process, EVERYTHING_THERE).label()).isEqualTo("process");
    }

    @Test
    void theProcessDriverAskedForByNameIsRefusedWhereItCannotRun() {
        assertThatThrownBy(() -> DriverChoice.of(UpCommand.Driver.process,
                LocalMachine.processDriverUnavailable(false, CgroupLayout.Version.V1, "root")))
                .isInstanceOf(CliException.class)
                .hasMessage("--driver process: no Postgres 15 found; apt-get install postgresql-15; or use --driver sim");
    }
}
