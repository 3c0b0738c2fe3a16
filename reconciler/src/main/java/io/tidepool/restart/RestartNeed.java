package io.tidepool.restart;

import io.tidepool.api.resource.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a running compute's Postgres differs from its endpoint's spec: the changes only a restart
 * applies (another major version, a setting read at server start) and the changes a reload
 * applies ({@code pg_reload_conf()}, no restart). The caller restarts for the first kind, in the
 * endpoint's window, and reloads at once for the second.
 *
 * @param restartChanges each change that needs a restart, like "postgres 15 -> 16"
 * @param reloadChanges  each change that a reload applies, like "work_mem 4MB -> 8MB"
 */
public record RestartNeed(List<String> restartChanges, List<String> reloadChanges) {
    public static final RestartNeed NONE = new RestartNeed(List.of(), List.of());

    /**
     * Settings with "context: postmaster" in {@code pg_settings} (the Postgres documentation says of
     * each "This parameter can only be set at server start"; see "pg_settings" and "Setting
     * Parameters" in the PostgreSQL 13 to 17 manuals, and {@code guc_tables.c}). Only developer options are
     * left out. Extensions' own settings are not known here and count as reloads: a host agent sees
     * {@code pg_settings.pending_restart} after the reload if one of them needed a restart.
     */
    static final Set<String> RESTART_ONLY_SETTINGS = Set.of(
            // connections and authentication
            "listen_addresses", "port", "max_connections", "superuser_reserved_connections",
            "reserved_connections", "unix_socket_directories", "unix_socket_group", "unix_socket_permissions",
            "bonjour", "bonjour_name",
            // memory and kernel resources
            "shared_buffers", "huge_pages", "huge_page_size", "shared_memory_type", "dynamic_shared_memory_type",
            "min_dynamic_shared_memory", "max_files_per_process", "max_prepared_transactions",
            "max_worker_processes", "max_notify_queue_pages",
            // SLRU caches (PostgreSQL 17)
            "commit_timestamp_buffers", "multixact_member_buffers", "multixact_offset_buffers", "notify_buffers",
            "serializable_buffers", "subtransaction_buffers", "transaction_buffers",
            // write-ahead log and archiving
            "wal_level", "wal_log_hints", "wal_buffers", "wal_decode_buffer_size", "archive_mode",
            "data_sync_retry",
            // restore_command became a reload in PostgreSQL 14; 13 still reads it at start only
            "restore_command",
            "recovery_target", "recovery_target_action", "recovery_target_inclusive", "recovery_target_lsn",
            "recovery_target_name", "recovery_target_time", "recovery_target_timeline", "recovery_target_xid",
            // replication
            "max_wal_senders", "max_replication_slots", "max_logical_replication_workers", "hot_standby",
            "track_commit_timestamp",
            // locks
            "max_locks_per_transaction", "max_pred_locks_per_transaction",
            // autovacuum: worker count and freeze limits size shared memory
            "autovacuum_max_workers", "autovacuum_freeze_max_age", "autovacuum_multixact_freeze_max_age",
            // preloading, statistics, logging, files
            "shared_preload_libraries", "jit_provider", "track_activity_query_size", "old_snapshot_threshold",
            "logging_collector", "event_source", "cluster_name", "data_directory", "config_file", "hba_file",
            "ident_file", "external_pid_file",
            // the one extension setting Tidepool preloads itself
            "pg_stat_statements.max");
    private static final int VALUE_SHOWN = 32;

    public RestartNeed {
        restartChanges = List.copyOf(restartChanges);
        reloadChanges = List.copyOf(reloadChanges);
    }

    public static RestartNeed between(Endpoint.Postgres desired, Endpoint.Postgres running) {
        List<String> restart = new ArrayList<>();
        List<String> reload = new ArrayList<>();
        if (!desired.version().equals(running.version())) {
            restart.add("postgres " + running.version() + " -> " + desired.version());
        }
        Set<String> names = new TreeSet<>(desired.settings().keySet());
        names.addAll(running.settings().keySet());
        for (String name : names) {
            String want = desired.settings().get(name);
            String have = running.settings().get(name);
            if (want == null ? have == null : want.equals(have)) {
                continue;
            }
            String change = name + " " + shown(have) + " -> " + shown(want);
            (RESTART_ONLY_SETTINGS.contains(name) ? restart : reload).add(change);
        }
        return new RestartNeed(restart, reload);
    }

    public boolean needsRestart() {
        return !restartChanges.isEmpty();
    }

    public boolean needsReload() {
        return !reloadChanges.isEmpty();
    }

    /** The changes a restart is for, in one line: "postgres 15 -> 16, shared_buffers 128MB -> 1GB". */
    public Optional<String> restartReason() {
        return needsRestart() ? Optional.of(String.join(", ", restartChanges)) : Optional.empty();
    }

    public Optional<String> reloadReason() {
        return needsReload() ? Optional.of(String.join(", ", reloadChanges)) : Optional.empty();
    }

    private static String shown(String value) {
        if (value == null) {
            return "default";
        }
        return value.length() <= VALUE_SHOWN ? value : value.substring(0, VALUE_SHOWN) + "...";
    }
}
