package io.tidepool.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LocalListenersTest {
    private static final String TABLE = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 0100007F:1538 00000000:0000 0A 00000000:00000000 00:00000000 00000000   104        0 40001 1 0000000000000000 100 0 0 10 0
               1: 0100007F:1538 0100007F:D2F0 01 00000000:00000000 00:00000000 00000000   104        0 40002 1 0000000000000000 20 4 30 10 -1
               2: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40003 1 0000000000000000 100 0 0 10 0
               3: 0A00000A:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 40004 1 0000000000000000 100 0 0 10 0
            """;

    @Test
    void theListenerIsTheOneOnTheAddressAndPortOrOnTheWildcardAndPort() throws Exception {
        Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
        assertThat(LocalListeners.listeningInode(TABLE, loopback, 0x1538)).hasValue(40001);
        assertThat(LocalListeners.listeningInode(TABLE, loopback, 0x1F90)).as("the wildcard").hasValue(40003);
        assertThat(LocalListeners.listeningInode(TABLE, (Inet4Address) InetAddress.getByName("10.0.0.10"), 22)).hasValue(40004);
        assertThat(LocalListeners.listeningInode(TABLE, loopback, 22)).as("another address's port").isEmpty();
        assertThat(LocalListeners.listeningInode(TABLE, loopback, 0xD2F0)).as("a connection, not a listener").isEmpty();
    }

    @Test
    void aDualStackListenerTakesItsIpv4AddressV4Mapped() throws Exception {
        String table = """
                  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
                   0: 0000000000000000FFFF00000100007F:9EAD 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 52241 1 000000000d65aeb6 100 0 0 10 0
                   1: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 52242 1 000000000d65aeb7 100 0 0 10 0
                """;
        Inet4Address loopback = (Inet4Address) InetAddress.getByName("127.0.0.1");
        assertThat(LocalListeners.listeningInode(table, loopback, 0x9EAD)).hasValue(52241);
        assertThat(LocalListeners.listeningInode(table, loopback, 0x1F90)).as("the wildcard").hasValue(52242);
    }

    @Test
    void aListenerOfThisProcessIsFoundWithItsDescriptor() throws Exception {
        Path table = Path.of("/proc/net/tcp");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(table), "needs Linux's /proc/net/tcp");
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            Optional<LocalListeners.Listener> found = LocalListeners.ofThisMachine()
                    .find(new EndpointState.Backend("127.0.0.1", listener.getLocalPort()));

            assertThat(found).isPresent();
            assertThat(found.get().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + found.get().fd())).toString()).startsWith("socket:[");
        }
        assertThat(LocalListeners.ofThisMachine().find(new EndpointState.Backend("192.0.2.1", 5432)))
                .as("an address no process here listens on").isEmpty();
    }
}
