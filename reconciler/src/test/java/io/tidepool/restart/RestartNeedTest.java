package io.tidepool.restart;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.Endpoint;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class RestartNeedTest {

    @Test
    void anotherMajorVersionNeedsARestart() {
        RestartNeed need = RestartNeed.between(postgres("16", Map.of()), postgres("15", Map.of()));

        assertThat(need.restartReason()).contains("postgres 15 -> 16");
        assertThat(need.needsReload()).isFalse();
    }

    @Test
    void aSettingReadAtServerStartNeedsARestartAndOtherSettingsAReload() {
        RestartNeed need = RestartNeed.between(
                postgres("15", Map.of("shared_buffers", "1GB", "work_mem", "8MB", "max_connections", "300")),
                postgres("15", Map.of("shared_buffers", "128MB", "work_mem", "4MB", "max_connections", "300")));

        assertThat(need.restartReason()).contains("shared_buffers 128MB -> 1GB");
        assertThat(need.reloadReason()).contains("work_mem 4MB -> 8MB");
    }

    @Test
    void aReloadAloneNeedsNoRestart() {
        RestartNeed need = RestartNeed.between(postgres("15", Map.of("statement_timeout", "30s")), postgres("15", Map.of()));

        assertThat(need.needsRestart()).isFalse();
        assertThat(need.reloadReason()).contains("statement_timeout default -> 30s");
    }

    @Test
    void removingARestartOnlySettingGoesBackToItsDefaultWithARestart() {
        RestartNeed need = RestartNeed.between(postgres("15", Map.of()),
                postgres("15", Map.of("shared_preload_libraries", "pg_stat_statements")));

        assertThat(need.restartReason()).contains("shared_preload_libraries pg_stat_statements -> default");
    }

    @Test
    void listsEveryRestartOnlySettingTheIssueNames() {
        assertThat(RestartNeed.RESTART_ONLY_SETTINGS).contains("shared_buffers", "max_connections",
                "shared_preload_libraries", "wal_level", "max_wal_senders", "max_worker_processes",
                "max_prepared_transactions", "max_locks_per_transaction", "huge_pages", "port");
        assertThat(RestartNeed.RESTART_ONLY_SETTINGS).doesNotContain("work_mem", "statement_timeout", "max_wal_size");
    }

    @Property(tries = 300)
    void aComputeRunningItsSpecNeedsNothing(@ForAll("postgres") Endpoint.Postgres postgres) {
        assertThat(RestartNeed.between(postgres, postgres)).isEqualTo(RestartNeed.NONE);
    }

    @Property(tries = 300)
    void aChangeNeedsTheSameInBothDirections(@ForAll("postgres") Endpoint.Postgres a, @ForAll("postgres") Endpoint.Postgres b) {
        RestartNeed there = RestartNeed.between(a, b);
        RestartNeed back = RestartNeed.between(b, a);

        assertThat(back.needsRestart()).isEqualTo(there.needsRestart());
        assertThat(back.reloadChanges()).hasSameSizeAs(there.reloadChanges());
        assertThat(there.needsRestart() || there.needsReload()).isEqualTo(!a.equals(b));
    }

    @Provide
    Arbitrary<Endpoint.Postgres> postgres() {
        Arbitrary<String> names = Arbitraries.of("shared_buffers", "max_connections", "wal_level", "work_mem",
                "statement_timeout", "random_page_cost");
        Arbitrary<Map<String, String>> settings = Arbitraries.maps(names, Arbitraries.of("1", "2", "on")).ofMaxSize(4);
        return net.jqwik.api.Combinators.combine(Arbitraries.of(Endpoint.SUPPORTED_POSTGRES_VERSIONS), settings)
                .as(Endpoint.Postgres::new);
    }

    static Endpoint.Postgres postgres(String version, Map<String, String> settings) {
        return new Endpoint.Postgres(version, settings);
    }
}
