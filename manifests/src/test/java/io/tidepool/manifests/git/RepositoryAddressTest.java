package io.tidepool.manifests.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class RepositoryAddressTest {
    private static final Path HERE = Path.of("/home/ops/work");

    @Test
    void makesALocalPathAbsoluteSinceGitRunsInTheCache() {
        RepositoryAddress address = RepositoryAddress.parse("../fleet-config", HERE);

        assertThat(address.location()).isEqualTo("/home/ops/fleet-config");
        assertThat(address.name()).isEqualTo("fleet-config");
    }

    @Test
    void passesUrlsAndScpLikeAddressesToGitAsWritten() {
        assertThat(RepositoryAddress.parse("https://git.example.com/ops/fleet.git", HERE).location())
                .isEqualTo("https://git.example.com/ops/fleet.git");
        assertThat(RepositoryAddress.parse("git@git.example.com:ops/fleet.git", HERE).location())
                .isEqualTo("git@git.example.com:ops/fleet.git");
        assertThat(RepositoryAddress.parse("file:///srv/git/fleet", HERE).location()).isEqualTo("file:///srv/git/fleet");
        assertThat(RepositoryAddress.parse("git@git.example.com:ops/fleet.git", HERE).name()).isEqualTo("fleet");
    }

    @Test
    void neverShowsTheCredentialsOfAUrl() {
        RepositoryAddress address = RepositoryAddress.parse("https://deploy:s3cret@git.example.com/ops/fleet.git", HERE);

        assertThat(address.location()).contains("s3cret");
        assertThat(address.shown()).isEqualTo("https://git.example.com/ops/fleet.git");
        assertThat(address.redact("fatal: unable to access '" + address.location() + "': 403"))
                .isEqualTo("fatal: unable to access 'https://git.example.com/ops/fleet.git': 403");
        assertThat(address.cacheName()).doesNotContain("s3cret").doesNotContain("deploy");
    }

    @Test
    void namesCachesReadablyAndApartByTheirFullLocation() {
        RepositoryAddress one = RepositoryAddress.parse("https://git.example.com/ops/fleet.git", HERE);
        RepositoryAddress other = RepositoryAddress.parse("https://git.example.com/ops/fleet", HERE);

        assertThat(one.cacheName()).matches("git\\.example\\.com-ops-fleet-[0-9a-f]{12}");
        assertThat(one.cacheName()).isNotEqualTo(other.cacheName());
        assertThat(one.cacheName()).isEqualTo(RepositoryAddress.parse("https://git.example.com/ops/fleet.git", HERE).cacheName());
    }

    @Test
    void refusesWhatGitWouldTakeForAnOption() {
        assertThatThrownBy(() -> RepositoryAddress.parse("--upload-pack=touch /tmp/x", HERE))
                .hasMessageContaining("starts with '-'");
        assertThatThrownBy(() -> RepositoryAddress.parse(" ", HERE)).hasMessageContaining("no repository given");
    }
}
