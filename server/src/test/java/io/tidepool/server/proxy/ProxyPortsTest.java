package io.tidepool.server.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidepool.store.memory.InMemoryStore;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProxyPortsTest {
    private final InMemoryStore store = new InMemoryStore();

    @Test
    void anEndpointKeepsItsPortAcrossRestartsAndADeletedOnesPortGoesToTheNext() {
        ProxyPorts ports = new ProxyPorts(store, new PortRange(6500, 6502));
        assertThat(ports.assign("shop")).isEqualTo(6500);
        assertThat(ports.assign("blog")).isEqualTo(6501);
        assertThat(ports.assign("shop")).isEqualTo(6500);

        ProxyPorts afterRestart = new ProxyPorts(store, new PortRange(6500, 6502));
        assertThat(afterRestart.of("blog")).contains(6501);
        afterRestart.release("shop");
        assertThat(afterRestart.of("shop")).isEmpty();
        assertThat(afterRestart.assign("wiki")).isEqualTo(6500);
    }

    @Test
    void twoNodesAssigningAtOnceNeverShareAPort() {
        ProxyPorts one = new ProxyPorts(store, new PortRange(6500, 6509));
        ProxyPorts other = new ProxyPorts(store, new PortRange(6500, 6509));
        int shop = one.assign("shop");
        int blog = other.assign("blog");
        assertThat(other.assign("shop")).isEqualTo(shop);
        assertThat(Set.of(shop, blog)).hasSize(2);
    }

    @Test
    void aFullRangeSaysHowToWidenIt() {
        ProxyPorts ports = new ProxyPorts(store, new PortRange(6500, 6500));
        ports.assign("shop");
        assertThatThrownBy(() -> ports.assign("blog")).hasMessageContaining("all of 6500-6500 are taken")
                .hasMessageContaining("--proxy-ports");
    }

    @Test
    void aPortRangeIsParsedFromItsFlag() {
        assertThat(PortRange.parse("6500-6999")).isEqualTo(new PortRange(6500, 6999));
        assertThatThrownBy(() -> PortRange.parse("6500")).hasMessageContaining("FIRST-LAST");
        assertThatThrownBy(() -> PortRange.parse("7000-6500")).hasMessageContaining("within 1-65535");
    }
}
