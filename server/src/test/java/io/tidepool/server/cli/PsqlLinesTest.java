package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.api.resource.ObjectMeta;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.store.Await;
import io.tidepool.store.memory.InMemoryStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The psql lines {@code up} prints as endpoints start serving. */
@Timeout(30)
class PsqlLinesTest {
    private static final String FIRST = "postgresql://postgres@127.0.0.1:5433/postgres";
    private static final String SECOND = "postgresql://postgres@127.0.0.1:6001/postgres";

    @Test
    void announcesAnEndpointTheFirstTimeItRunsAtAPsqlAddress() {
        assertThat(PsqlLines.line("shop", null, status(Endpoint.Phase.Running, FIRST)))
                .contains("endpoint shop: psql 'postgresql://postgres@127.0.0.1:5433/postgres'");
    }

    @Test
    void staysQuietWhileTheEndpointDoesNotRunYet() {
        assertThat(PsqlLines.line("shop", null, null)).isEmpty();
        assertThat(PsqlLines.line("shop", null, status(Endpoint.Phase.Pending, null))).isEmpty();
        assertThat(PsqlLines.line("shop", null, status(Endpoint.Phase.Pending, FIRST))).isEmpty();
    }

    @Test
    void announcesAgainWhenAMoveOrARestartGivesItAnotherAddress() {
        assertThat(PsqlLines.line("shop", FIRST, status(Endpoint.Phase.Running, SECOND)))
                .contains("endpoint shop: psql '" + SECOND + "'");
    }

    @Test
    void staysQuietWhenItRunsAgainAtTheAddressAlreadyAnnounced() {
        assertThat(PsqlLines.line("shop", FIRST, status(Endpoint.Phase.Running, FIRST))).isEmpty();
    }

    @Test
    void neverAnnouncesASimulatedComputeForPsqlCannotReachIt() {
        assertThat(PsqlLines.line("shop", null, status(Endpoint.Phase.Running, "sim://local-host-1/shop-1"))).isEmpty();
    }

    @Test
    void quotesTheAddressSoThatTheShellPassesItWhole() {
        assertThat(PsqlLines.line("shop", null, status(Endpoint.Phase.Running, "postgresql://o'neil@127.0.0.1:5433/x")))
                .contains("endpoint shop: psql 'postgresql://o'\\''neil@127.0.0.1:5433/x'");
    }

    @Test
    void printsFromTheStoreWatchWhatStartsServingAfterItStarted() throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            ResourceRegistry registry = new ResourceRegistry(store);
            write(registry, endpoint("shop", status(Endpoint.Phase.Running, FIRST)));
            StringWriter printed = new StringWriter();
            try (PsqlLines lines = PsqlLines.follow(store, new PrintWriter(printed))) {
                lines.start();
                write(registry, endpoint("blog", status(Endpoint.Phase.Pending, null)));
                write(registry, endpoint("blog", status(Endpoint.Phase.Running, FIRST.replace("5433", "5434"))));
                write(registry, endpoint("shop", status(Endpoint.Phase.Pending, SECOND)));
                write(registry, endpoint("shop", status(Endpoint.Phase.Running, SECOND)));

                Await.until(Duration.ofSeconds(10), "the lines of blog and of shop's new address",
                        () -> printed.toString().lines().count() == 2);
                assertThat(printed.toString().lines()).containsExactly(
                        "endpoint blog: psql 'postgresql://postgres@127.0.0.1:5434/postgres'",
                        "endpoint shop: psql '" + SECOND + "'");
            }
        }
    }

    @Test
    void afterARestartOfUpAnEndpointThatRunsAgainAtTheSameAddressIsAnnouncedOnce() throws Exception {
        try (InMemoryStore store = new InMemoryStore()) {
            ResourceRegistry registry = new ResourceRegistry(store);
            // What the killed up left: Running at the proxy's address, its compute dead.
            write(registry, endpoint("shop", status(Endpoint.Phase.Running, FIRST)));
            StringWriter printed = new StringWriter();
            try (PsqlLines lines = PsqlLines.follow(store, new PrintWriter(printed))) {
                lines.start();
                write(registry, endpoint("shop", status(Endpoint.Phase.Pending, FIRST)));
                write(registry, endpoint("shop", status(Endpoint.Phase.Running, FIRST)));
                write(registry, endpoint("shop", new Endpoint.Status(Endpoint.Phase.Running, "local-host-1", Cu.ofWhole(1), FIRST,
                        List.of(), null, null, null, null)));
                write(registry, endpoint("blog", status(Endpoint.Phase.Running, SECOND)));

                Await.until(Duration.ofSeconds(10), "the line of blog, after shop's",
                        () -> printed.toString().contains("endpoint blog"));
                assertThat(printed.toString().lines()).containsExactly(
                        "endpoint shop: psql '" + FIRST + "'",
                        "endpoint blog: psql '" + SECOND + "'");
            }
        }
    }

    private static Endpoint.Status status(Endpoint.Phase phase, String address) {
        return new Endpoint.Status(phase, address == null ? null : "local-host-1", Cu.QUARTER, address, List.of(),
                null, null, null, null);
    }

    private static Endpoint endpoint(String name, Endpoint.Status status) {
        return new Endpoint(ObjectMeta.named(name), new Endpoint.Spec("local",
                new Endpoint.ComputeRange(Cu.QUARTER, Cu.ofWhole(2)), null, null, null), status);
    }

    /** Creates the endpoint, or updates the one stored. */
    private static void write(ResourceRegistry registry, Endpoint endpoint) {
        Optional<Endpoint> stored = registry.get(Endpoint.class, Kind.ENDPOINT, endpoint.name());
        ResourceTxn txn = stored.isPresent()
                ? new ResourceTxn().update(stored.get(), endpoint.withMetadata(stored.get().metadata()))
                : new ResourceTxn().create(endpoint);
        assertThat(registry.store().txn(txn.toTxn()).succeeded()).isTrue();
    }
}
