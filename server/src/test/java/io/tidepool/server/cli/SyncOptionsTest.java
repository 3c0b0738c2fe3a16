package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.server.sync.SyncSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class SyncOptionsTest {
    private static Optional<SyncSettings> parse(String... args) {
        ServerCommand server = new ServerCommand();
        CommandLine command = new CommandLine(server);
        command.parseArgs(args);
        return server.sync.settings(command);
    }

    private static final String[] NODE = {"--node-id", "n1", "--data-dir", "/tmp/n1", "--raft-address", "127.0.0.1:7481"};

    private static String[] with(String... sync) {
        String[] all = java.util.Arrays.copyOf(NODE, NODE.length + sync.length);
        System.arraycopy(sync, 0, all, NODE.length, sync.length);
        return all;
    }

    @Test
    void noSyncWithoutARepository() {
        assertThat(parse(NODE)).isEmpty();
    }

    @Test
    void takesTheSyncAsTidepoolSyncWould() {
        SyncSettings settings = parse(with("--sync-repo", "https://git.example.com/ops/fleet.git", "--sync-branch", "prod",
                "--sync-path", "deploy/", "--sync-interval", "1m", "--sync-self-heal")).orElseThrow();

        assertThat(settings.repo().location()).isEqualTo("https://git.example.com/ops/fleet.git");
        assertThat(settings.branch()).contains("prod");
        assertThat(settings.path().value()).isEqualTo("deploy");
        assertThat(settings.interval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(settings.selfHeal()).isTrue();
        assertThat(settings.set()).matches("fleet-deploy-[0-9a-f]{6}");
        assertThat(settings.describe()).isEqualTo("https://git.example.com/ops/fleet.git branch prod path deploy into apply set "
                + settings.set() + ", every 1m, self-heal");
    }

    @Test
    void aLocalRepositoryIsMadeAbsolute() {
        assertThat(parse(with("--sync-repo", "fleet-config")).orElseThrow().repo().location())
                .isEqualTo(Path.of("fleet-config").toAbsolutePath().toString());
    }

    @Test
    void refusesSyncOptionsWithoutARepositoryAndBadValues() {
        assertThatThrownBy(() -> parse(with("--sync-path", "deploy"))).isInstanceOf(ParameterException.class)
                .hasMessageContaining("need --sync-repo");
        assertThatThrownBy(() -> parse(with("--sync-repo", "x", "--sync-path", "../etc"))).isInstanceOf(ParameterException.class)
                .hasMessageContaining("leaves the repository");
        assertThatThrownBy(() -> parse(with("--sync-repo", "x", "--sync-set", "Fleet_One"))).isInstanceOf(ParameterException.class)
                .hasMessageContaining("--sync-set");
        assertThatThrownBy(() -> parse(with("--sync-repo", "x", "--sync-interval", "10ms"))).isInstanceOf(ParameterException.class)
                .hasMessageContaining("at least 1s");
    }
}
