package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PreparedReplacementTest {
    private static final Path DATA = Path.of("/var/lib/tidepool/computes/endpoints/shop/pgdata");

    @Test
    void takesOverDataOfItsOwnMajorVersion() {
        assertThat(PreparedReplacement.refusal("shop", DATA, "15", true, Optional.of("15"))).isEmpty();
    }

    @Test
    void refusesDataThisHostCannotReach() {
        assertThat(PreparedReplacement.refusal("shop", DATA, "15", true, Optional.empty())).get().asString()
                .contains("data of endpoint shop is not reachable from this host", DATA.toString(), "share one data root");
    }

    @Test
    void refusesDataOfAnotherMajorVersionSinceItDoesNotUpgrade() {
        assertThat(PreparedReplacement.refusal("shop", DATA, "16", true, Optional.of("15"))).get().asString()
                .contains("is Postgres 15 and the replacement runs Postgres 16", "pg_upgrade");
    }

    @Test
    void refusesWhenItsPostgresIsNotInstalled() {
        assertThat(PreparedReplacement.refusal("shop", DATA, "17", false, Optional.of("17"))).get().asString()
                .contains("Postgres 17 is not installed here");
    }
}
