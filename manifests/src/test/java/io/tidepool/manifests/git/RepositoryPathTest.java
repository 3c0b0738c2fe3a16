package io.tidepool.manifests.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RepositoryPathTest {
    @Test
    void takesThePathInGitsForm() {
        assertThat(RepositoryPath.parse("./deploy//prod/").value()).isEqualTo("deploy/prod");
        assertThat(RepositoryPath.parse("/deploy").value()).isEqualTo("deploy");
        assertThat(RepositoryPath.parse(".").isRoot()).isTrue();
        assertThat(RepositoryPath.parse(null).isRoot()).isTrue();
    }

    @Test
    void refusesAPathOutOfTheRepository() {
        assertThatThrownBy(() -> RepositoryPath.parse("deploy/../../etc")).hasMessageContaining("leaves the repository");
    }

    @Test
    void containsOnlyItselfAndWhatLiesBelow() {
        RepositoryPath deploy = RepositoryPath.parse("deploy");

        assertThat(deploy.contains("deploy/a.yaml")).isTrue();
        assertThat(deploy.contains("deploy")).isTrue();
        assertThat(deploy.contains("deploy2/a.yaml")).isFalse();
        assertThat(deploy.relativize("deploy/prod/a.yaml")).isEqualTo("prod/a.yaml");
        assertThat(RepositoryPath.parse("deploy/a.yaml").relativize("deploy/a.yaml")).isEqualTo("a.yaml");
    }
}
