package io.tidepool.server.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.git.GitRepositoryFixture;
import io.tidepool.manifests.git.RepositoryAddress;
import io.tidepool.manifests.git.RepositoryPath;
import io.tidepool.manifests.source.ManifestFile;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.Cli;
import io.tidepool.server.ControlPlane;
import io.tidepool.server.LocalFleet;
import io.tidepool.store.Await;
import io.tidepool.store.LoopbackPort;
import io.tidepool.store.ratis.Peer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The git sync inside the server: a real control plane following a real git repository made in the test. */
@Timeout(180)
class ServerSyncTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SET = "fleet";
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec:
              cell: local
              compute: {minCu: 0.25, maxCu: %s}
            """;

    @TempDir
    Path tmp;
    private GitRepositoryFixture repo;
    private ControlPlane plane;
    private ResourceRegistry registry;

    @BeforeEach
    void makeRepository() {
        GitRepositoryFixture.assumeGit();
        repo = GitRepositoryFixture.init(tmp.resolve("fleet-config"));
        repo.write("deploy/cell.yaml", LocalFleet.CELL);
    }

    @AfterEach
    void stopPlane() {
        if (plane != null) {
            plane.close();
        }
    }

    private void startPlane(String repository, boolean selfHeal) throws IOException {
        SyncSettings sync = new SyncSettings(RepositoryAddress.parse(repository, tmp), Optional.of("main"),
                RepositoryPath.parse("deploy"), Duration.ofSeconds(1), selfHeal, SET);
        plane = ControlPlane.start(new ControlPlane.Config("n1", tmp.resolve("data"),
                List.of(new Peer("n1", "127.0.0.1:" + LoopbackPort.free())), "127.0.0.1", 0).withSync(Optional.of(sync)));
        registry = new ResourceRegistry(plane.store());
    }

    @Test
    void appliesEachCommitKeepsThePreviousOneOverAnInvalidOneAndAppliesTheFix() throws IOException {
        String added = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "2"))
                .write("deploy/blog.yaml", ENDPOINT.formatted("blog", "1")).commit("add shop and blog");
        startPlane(repo.dir().toString(), false);

        awaitSet("commit " + added + " applied", s -> applied(s, added));
        assertThat(maxCu("shop")).isEqualTo("2");
        ApplySet record = set();
        assertThat(record.spec().source()).isEqualTo(new ApplySet.Source(repo.dir().toString(), "main", "deploy", null));
        assertThat(record.status().objects()).isEqualTo(3);

        String changed = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "1")).commit("shop to 1 CU");
        awaitSet("the change applied", s -> applied(s, changed));
        assertThat(maxCu("shop")).isEqualTo("1");

        String removed = repo.delete("deploy/blog.yaml").commit("blog goes");
        awaitSet("blog pruned", s -> applied(s, removed));
        assertThat(registry.get(Kind.ENDPOINT, "blog")).isEmpty();

        String broken = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "1").replace("maxCu: 1", "maxCpu: 1"))
                .write("deploy/cart.yaml", ENDPOINT.formatted("cart", "1")).commit("a typo");
        ApplySet invalid = awaitSet("the broken commit recorded", s -> attempted(s, broken, ApplySet.Outcome.Invalid));
        assertThat(invalid.status().lastAttempt().errors())
                .containsExactly("deploy/shop.yaml:6:26: Endpoint/shop: spec.compute.maxCpu: unknown field \"maxCpu\": "
                        + "expected one of minCu, maxCu; did you mean maxCu?");
        assertThat(invalid.status().applied().commit()).as("the previous commit stays in force").isEqualTo(removed);
        assertThat(registry.get(Kind.ENDPOINT, "cart")).as("nothing of the broken commit").isEmpty();
        assertThat(maxCu("shop")).isEqualTo("1");
        Cli.Run described = cli().run("describe", "applyset", SET);
        assertThat(described.out()).as(described.err()).contains(removed, broken, "Invalid", "deploy/shop.yaml:6:26");

        String fixed = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "3")).commit("fix the typo");
        awaitSet("the fix applied", s -> applied(s, fixed));
        assertThat(maxCu("shop")).isEqualTo("3");
        assertThat(registry.get(Kind.ENDPOINT, "cart")).isPresent();

        Cli.Run table = cli().run("get", "applysets");
        assertThat(table.out()).containsPattern("(?m)^NAME +OBJECTS +SOURCE +COMMIT +APPLIED +LAST-ATTEMPT +DRIFT$")
                .containsPattern("(?m)^fleet +3 +" + Pattern.quote(repo.dir() + "@main:deploy") + " +" + fixed.substring(0, 12)
                        + " .* Applied +0$");
    }

    @Test
    void showsDriftAndPutsItBackWithSelfHealAfterARestart() throws IOException {
        String commit = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "2")).commit("add shop");
        startPlane(repo.dir().toString(), false);
        awaitSet("commit applied", s -> applied(s, commit));

        changeByHand("shop", "4");

        ApplySet drifted = awaitSet("drift recorded", s -> s.status().drift() != null && s.status().drift().count() == 1);
        assertThat(drifted.status().drift().objects()).containsExactly("Endpoint/shop (changed)");
        assertThat(maxCu("shop")).as("without self-heal drift is only shown").isEqualTo("4");

        plane.close();
        plane = null;
        startPlane(repo.dir().toString(), true);

        Await.until(WAIT, "shop put back as the commit says", () -> maxCu("shop").equals("2"));
        ApplySet healed = awaitSet("no drift left", s -> s.status().drift() != null && s.status().drift().count() == 0);
        assertThat(healed.status().applied().commit()).isEqualTo(commit);
    }

    @Test
    void recordsARepositoryItCannotReachAndAppliesNothing() throws IOException {
        startPlane(tmp.resolve("nowhere").toString(), false);

        ApplySet failed = awaitSet("the failed fetch recorded",
                s -> s.status().lastAttempt() != null && s.status().lastAttempt().outcome() == ApplySet.Outcome.Failed);

        assertThat(failed.status().lastAttempt().message()).contains("cannot reach " + tmp.resolve("nowhere"));
        assertThat(failed.status().applied()).isNull();
        assertThat(registry.listAll(Kind.ENDPOINT)).isEmpty();
    }

    /** A change made with apply (no set), as an operator in a hurry would. */
    private void changeByHand(String endpoint, String maxCu) {
        var response = plane.applier().apply(List.of(new ManifestFile("hotfix.yaml", ENDPOINT.formatted(endpoint, maxCu))), false);
        assertThat(response.errors()).isEmpty();
    }

    private Cli cli() {
        return new Cli("http://127.0.0.1:" + plane.httpPort(), plane.adminToken());
    }

    private ApplySet set() {
        return registry.get(ApplySet.class, Kind.APPLY_SET, SET).orElseThrow();
    }

    private ApplySet awaitSet(String what, Predicate<ApplySet> condition) {
        return Await.value(WAIT, what, () -> registry.get(ApplySet.class, Kind.APPLY_SET, SET)
                .filter(s -> s.status() != null).filter(condition).orElse(null));
    }

    private static boolean applied(ApplySet set, String commit) {
        return set.status().applied() != null && commit.equals(set.status().applied().commit());
    }

    private static boolean attempted(ApplySet set, String commit, ApplySet.Outcome outcome) {
        ApplySet.Attempt last = set.status().lastAttempt();
        return last != null && commit.equals(last.commit()) && last.outcome() == outcome;
    }

    private String maxCu(String endpoint) {
        return registry.get(Endpoint.class, Kind.ENDPOINT, endpoint).orElseThrow().spec().compute().maxCu().toString();
    }
}
