package io.tidepool.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.git.GitRepositoryFixture;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three nodes configured with the same sync: only the leader syncs, and the next leader takes over. */
@Timeout(180)
class ClusterSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    private final List<ControlPlane> nodes = new ArrayList<>();
    private final Map<ControlPlane, String> ids = new HashMap<>();

    @AfterEach
    void stop() {
        nodes.forEach(ControlPlane::close);
    }

    @Test
    void onlyTheLeaderSyncsAndTheNextLeaderCarriesOn() throws Exception {
        GitRepositoryFixture.assumeGit();
        GitRepositoryFixture repo = GitRepositoryFixture.init(tmp.resolve("fleet-config"));
        String first = repo.write("deploy/cell.yaml", LocalFleet.CELL).commit("a cell");
        SyncSettings sync = new SyncSettings(RepositoryAddress.parse(repo.dir().toString(), tmp), Optional.empty(),
                RepositoryPath.parse("deploy"), Duration.ofSeconds(1), false, "fleet");
        startCluster(3, sync);
        ControlPlane leader = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow();

        awaitApplied(leader, first);
        for (ControlPlane node : nodes) {
            boolean fetched = Files.exists(cacheOf(node));
            assertThat(fetched).as("whether node %s fetched", ids.get(node)).isEqualTo(node == leader);
        }

        nodes.remove(leader);
        leader.close();
        String second = repo.write("deploy/other.yaml", LocalFleet.CELL.replace("local", "other")).commit("another cell");

        Await.until(WAIT, "a new leader", () -> nodes.stream().anyMatch(n -> n.store().leadership().isLeader()));
        ControlPlane next = nodes.stream().filter(n -> n.store().leadership().isLeader()).findFirst().orElseThrow();
        awaitApplied(next, second);
        assertThat(Files.exists(cacheOf(next))).isTrue();
    }

    private Path cacheOf(ControlPlane node) {
        return tmp.resolve(ids.get(node)).resolve("git");
    }

    private static void awaitApplied(ControlPlane node, String commit) {
        ResourceRegistry registry = new ResourceRegistry(node.store());
        Await.until(WAIT, "commit " + commit + " applied", () -> registry.get(ApplySet.class, Kind.APPLY_SET, "fleet")
                .map(ApplySet::status).map(ApplySet.Status::applied).filter(a -> commit.equals(a.commit())).isPresent());
    }

    private void startCluster(int size, SyncSettings sync) throws Exception {
        List<Peer> peers = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            peers.add(new Peer("n" + i, "127.0.0.1:" + LoopbackPort.free()));
        }
        // Each start waits for a leader, which needs a majority: start them together.
        List<CompletableFuture<ControlPlane>> starting = peers.stream()
                .map(p -> CompletableFuture.supplyAsync(() -> start(p, peers, sync)))
                .toList();
        for (int i = 0; i < size; i++) {
            ControlPlane node = starting.get(i).get();
            nodes.add(node);
            ids.put(node, peers.get(i).id());
        }
        Await.until(WAIT, "one leader", () -> nodes.stream().filter(n -> n.store().leadership().isLeader()).count() == 1);
    }

    private ControlPlane start(Peer self, List<Peer> peers, SyncSettings sync) {
        try {
            return ControlPlane.start(new ControlPlane.Config(self.id(), tmp.resolve(self.id()), peers, "127.0.0.1", 0)
                    .withSync(Optional.of(sync)));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
