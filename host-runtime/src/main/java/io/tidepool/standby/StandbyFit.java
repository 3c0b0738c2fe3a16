package io.tidepool.standby;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a replacement with the given settings can follow the primary as a hot standby. A hot
 * standby needs at least the primary's value of each setting that sizes shared memory for
 * transactions and locks: with less, Postgres 14 and later pause recovery and cannot promote. So a
 * restart that lowers one of them (fewer max_connections, say) is done by stop and start instead.
 */
public final class StandbyFit {
    /** The settings that must not be lower on a standby, with Postgres 15's defaults. */
    public static final Map<String, Long> AT_LEAST_THE_PRIMARYS = defaults();

    private StandbyFit() {
    }

    private static Map<String, Long> defaults() {
        Map<String, Long> settings = new LinkedHashMap<>();
        settings.put("max_connections", 100L);
        settings.put("max_worker_processes", 8L);
        settings.put("max_prepared_transactions", 0L);
        settings.put("max_locks_per_transaction", 64L);
        return Map.copyOf(settings);
    }

    /**
     * @param primary     the primary's values of {@link #AT_LEAST_THE_PRIMARYS}, as it runs
     * @param replacement the replacement's own settings (those absent take the defaults)
     * @return why it cannot follow as a standby; empty when it can
     */
    public static Optional<String> refusal(Map<String, Long> primary, Map<String, String> replacement) {
        for (Map.Entry<String, Long> setting : AT_LEAST_THE_PRIMARYS.entrySet()) {
            String name = setting.getKey();
            long primaryValue = primary.getOrDefault(name, setting.getValue());
            long own;
            try {
                own = replacement.containsKey(name) ? Long.parseLong(replacement.get(name).trim()) : setting.getValue();
            } catch (NumberFormatException e) {
                return Optional.of(name + " = '" + replacement.get(name) + "' is not a number");
            }
            if (own < primaryValue) {
                return Optional.of(name + " goes down from " + primaryValue + " to " + own
                        + ", and a hot standby needs at least its primary's value");
            }
        }
        return Optional.empty();
    }
}
