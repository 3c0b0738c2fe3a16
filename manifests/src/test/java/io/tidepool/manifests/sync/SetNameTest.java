package io.tidepool.manifests.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SetNameTest {
    private static final Path HERE = Path.of("/home/ops");

    private static String name(String repo, String branch, String path) {
        return SetName.derive(RepositoryAddress.parse(repo, HERE), Optional.ofNullable(branch), RepositoryPath.parse(path));
    }

    @Test
    void namesTheSetAfterTheRepositoryAndPathReadably() {
        assertThat(name("https://git.example.com/ops/Fleet_Config.git", null, "deploy/prod"))
                .matches("fleet-config-deploy-prod-[0-9a-f]{6}");
        assertThat(name("/srv/git/fleet", null, "")).matches("fleet-[0-9a-f]{6}");
    }

    @Test
    void theSameSourceIsTheSameSetWhereverItIsSyncedFrom() {
        assertThat(name("fleet", null, "./deploy/")).isEqualTo(name("/home/ops/fleet", null, "deploy"));
    }

    @Test
    void differentSourcesNeverShareASet() {
        String base = name("https://git.example.com/a/fleet.git", null, "deploy");

        assertThat(name("https://git.example.com/b/fleet.git", null, "deploy")).isNotEqualTo(base);
        assertThat(name("https://git.example.com/a/fleet.git", "staging", "deploy")).isNotEqualTo(base);
        assertThat(name("https://git.example.com/a/fleet.git", null, "deploy/prod")).isNotEqualTo(base);
    }

    @Test
    void staysADnsLabelHoweverLongThePath() {
        String name = name("/srv/git/fleet", null, "a-very-long-directory-name/that-goes-on/and-on/and-on/and-on/for-ever");

        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    }
}
