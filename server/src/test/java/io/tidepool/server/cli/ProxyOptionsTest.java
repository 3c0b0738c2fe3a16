package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.proxy.Forwarding;
import io.tidepool.server.proxy.ProxySettings;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

class ProxyOptionsTest {
    private static final String[] NODE = {"--node-id", "n1", "--data-dir", "/tmp/n1", "--raft-address", "127.0.0.1:7481"};

    private static Optional<ProxySettings> parse(String... proxy) {
        String[] all = Arrays.copyOf(NODE, NODE.length + proxy.length);
        System.arraycopy(proxy, 0, all, NODE.length, proxy.length);
        ServerCommand server = new ServerCommand();
        CommandLine command = new CommandLine(server);
        command.parseArgs(all);
        return server.proxy.settings(command, "127.0.0.1", Optional.empty());
    }

    @Test
    void theProxySteersUnlessToldOtherwise() {
        assertThat(parse("--proxy-ports", "6500-6599").orElseThrow().forwarding()).isEqualTo(Forwarding.STEER);
        assertThat(parse("--proxy-ports", "6500-6599", "--proxy-forwarding", "splice").orElseThrow().forwarding())
                .isEqualTo(Forwarding.SPLICE);
        assertThat(parse("--proxy-ports", "6500-6599", "--proxy-forwarding", "COPY").orElseThrow().forwarding())
                .isEqualTo(Forwarding.COPY);
    }

    @Test
    void anUnknownForwardingOrOneWithoutTheProxyIsRefusedSayingWhy() {
        assertThatThrownBy(() -> parse("--proxy-ports", "6500-6599", "--proxy-forwarding", "teleport"))
                .isInstanceOf(ParameterException.class)
                .hasMessage("--proxy-forwarding: expected steer, splice or copy, got 'teleport'");
        assertThatThrownBy(() -> parse("--proxy-forwarding", "copy")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("need the proxy: give --proxy-ports");
    }
}
