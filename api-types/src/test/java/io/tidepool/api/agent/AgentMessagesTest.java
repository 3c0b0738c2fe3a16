package io.tidepool.api.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.api.codec.ResourceJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON of what host agents send, read as strictly as resources are. */
class AgentMessagesTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static <T> T decode(String json, Class<T> type) {
        return ResourceJson.decodeMessage(json.getBytes(StandardCharsets.UTF_8), type);
    }

    @Test
    void readsBackAHeartbeatAsWritten() throws Exception {
        Heartbeat heartbeat = new Heartbeat(AT, Map.of("shop-1", new ComputeMetrics(AT, 0.5, 1L << 30, 1L << 28)));

        byte[] json = ResourceJson.mapper().writeValueAsBytes(heartbeat);

        assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"at\":\"2026-11-23T10:00:00Z\",\"metrics\":{\"shop-1\":");
        assertThat(ResourceJson.decodeMessage(json, Heartbeat.class)).isEqualTo(heartbeat);
    }

    @Test
    void readsAHeartbeatWithoutMetricsAsNone() {
        assertThat(decode("{\"at\": \"2026-11-23T10:00:00Z\"}", Heartbeat.class).metrics()).isEmpty();
    }

    @Test
    void refusesAnUnknownFieldAndSaysWhichOne() {
        assertThatThrownBy(() -> decode("{\"at\": \"2026-11-23T10:00:00Z\", \"metric\": {}}", Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid Heartbeat JSON")
                .hasMessageContaining("\"metric\"");
    }

    @Test
    void refusesAHeartbeatWithoutItsTime() {
        assertThatThrownBy(() -> decode("{\"metrics\": {}}", Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a heartbeat needs the time it was sent (at)");
    }

    @Test
    void refusesNegativeMetricsAndNamesTheCompute() {
        String json = "{\"at\": \"2026-11-23T10:00:00Z\", \"metrics\": {\"shop-1\": {\"at\": \"2026-11-23T10:00:00Z\","
                + " \"load1\": -1, \"memoryUsedBytes\": 0, \"cacheWorkingSetBytes\": 0}}}";

        assertThatThrownBy(() -> decode(json, Heartbeat.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid Heartbeat JSON at metrics.shop-1: metrics cannot be negative: load1 -1.0, memory 0, cache 0");
    }

    @Test
    void refusesAnUpscaleRequestForNothing() {
        assertThatThrownBy(() -> decode("{\"at\": \"2026-11-23T10:00:00Z\", \"neededBytes\": 0}", UpscaleRequest.class))
                .hasMessageContaining("needs a positive size");
    }

    @Test
    void refusesATokenForAHostNameThatCannotBeOne() {
        assertThatThrownBy(() -> decode("{\"host\": \"DB_Host.1\"}", HostTokenRequest.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host: expected a DNS label")
                .hasMessageContaining("did you mean db-host-1?");
        assertThatThrownBy(() -> decode("{}", HostTokenRequest.class)).hasMessageContaining("missing host");
        assertThat(decode("{\"host\": \"db-1\"}", HostTokenRequest.class).host()).isEqualTo("db-1");
    }
}
