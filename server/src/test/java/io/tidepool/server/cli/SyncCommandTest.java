package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.manifests.git.GitRepositoryFixture;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import io.tidepool.sim.workload.Idle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidepool sync} in process against a running control plane, from a real git repository made in the test. */
@Timeout(120)
class SyncCommandTest {
    static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata: {name: %s}
            spec:
              cell: local
              compute: {minCu: 0.25, maxCu: %s}
            """;

    @TempDir
    Path tmp;
    private LocalFleet fleet;
    private Cli cli;
    private GitRepositoryFixture repo;

    @BeforeEach
    void startFleet() throws IOException {
        GitRepositoryFixture.assumeGit();
        repo = GitRepositoryFixture.init(tmp.resolve("fleet-config"));
        repo.write("README.md", "the fleet\n").commit("start");
        fleet = LocalFleet.start(tmp.resolve("data"), 1, endpoint -> Idle.TYPICAL);
        cli = new Cli(fleet.url(), fleet.plane().adminToken());
    }

    @AfterEach
    void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private Cli.Run syncOnce(String... more) {
        String[] args = {"sync", "--repo", repo.dir().toString(), "--path", "deploy", "--once",
                "--cache-dir", tmp.resolve("cache").toString()};
        String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return cli.run(all);
    }

    @Test
    void appliesEachCommitWithPruneKeepsThePreviousOneInForceOverAnInvalidOneAndAppliesTheFix() {
        String added = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "2"))
                .write("deploy/blog.yaml", ENDPOINT.formatted("blog", "1")).commit("add shop and blog");

        Cli.Run first = syncOnce();

        assertThat(first.exitCode()).as(first.err()).isZero();
        String set = setName(first);
        assertThat(first.out()).contains("main@" + added.substring(0, 12) + " applied: 2 created; drift 0");
        assertThat(maxCu("shop")).isEqualTo("2");
        JsonNode record = applySet(set);
        assertThat(record.at("/status/applied/commit").asText()).isEqualTo(added);
        assertThat(record.at("/spec/source/repo").asText()).isEqualTo(repo.dir().toString());
        assertThat(record.at("/spec/source/branch").asText()).isEqualTo("main");
        assertThat(record.at("/spec/source/path").asText()).isEqualTo("deploy");
        assertThat(record.at("/status/lastAttempt/outcome").asText()).isEqualTo("Applied");

        String changed = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "1")).commit("shop to 1 CU");
        Cli.Run configured = syncOnce();
        assertThat(configured.out()).contains("main@" + changed.substring(0, 12) + " applied: 1 configured, 1 unchanged");
        assertThat(maxCu("shop")).isEqualTo("1");

        String removed = repo.delete("deploy/blog.yaml").commit("blog goes");
        Cli.Run pruned = syncOnce();
        assertThat(pruned.out()).contains("applied: 1 unchanged, 1 pruned");
        assertThat(fleet.get("/api/v1/endpoints/blog").statusCode()).isEqualTo(404);
        assertThat(applySet(set).at("/status/applied/commit").asText()).isEqualTo(removed);

        String broken = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "1").replace("maxCu: 1", "maxCpu: 1"))
                .write("deploy/cart.yaml", ENDPOINT.formatted("cart", "1")).commit("a typo");
        Cli.Run invalid = syncOnce();

        assertThat(invalid.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(invalid.out()).contains("main@" + broken.substring(0, 12) + " invalid: 1 error, nothing applied; in force: "
                + removed.substring(0, 12));
        assertThat(invalid.err()).contains("error: deploy/shop.yaml:6:26: Endpoint/shop: spec.compute.maxCpu: unknown field");
        assertThat(fleet.get("/api/v1/endpoints/cart").statusCode()).as("nothing of an invalid commit is applied").isEqualTo(404);
        assertThat(maxCu("shop")).isEqualTo("1");
        JsonNode status = applySet(set).at("/status");
        assertThat(status.at("/applied/commit").asText()).as("the previous commit stays in force").isEqualTo(removed);
        assertThat(status.at("/lastAttempt/outcome").asText()).isEqualTo("Invalid");
        assertThat(status.at("/lastAttempt/commit").asText()).isEqualTo(broken);
        assertThat(status.at("/lastAttempt/errors/0").asText()).startsWith("deploy/shop.yaml:6:26: Endpoint/shop: spec.compute.maxCpu");

        String fixed = repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "3")).commit("fix the typo");
        Cli.Run fix = syncOnce();
        assertThat(fix.exitCode()).as(fix.err()).isZero();
        assertThat(fix.out()).contains("main@" + fixed.substring(0, 12) + " applied: 1 created, 1 configured");
        assertThat(maxCu("shop")).isEqualTo("3");
        assertThat(applySet(set).at("/status/applied/commit").asText()).isEqualTo(fixed);
    }

    @Test
    void showsDriftFromTheCommitAndPutsItBackWithSelfHeal() {
        repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "2")).commit("add shop");
        assertThat(syncOnce().exitCode()).isZero();
        fleet.apply(ENDPOINT.formatted("shop", "4"));

        Cli.Run drifted = syncOnce();

        assertThat(drifted.exitCode()).isZero();
        assertThat(drifted.out()).contains("drifted from the commit; --self-heal puts it back; drift 1 (Endpoint/shop)");
        assertThat(maxCu("shop")).as("without --self-heal drift is only shown").isEqualTo("4");

        Cli.Run healed = syncOnce("--self-heal");

        assertThat(healed.exitCode()).as(healed.err()).isZero();
        assertThat(healed.out()).contains("self-heal applied: 1 configured; drift 0");
        assertThat(maxCu("shop")).isEqualTo("2");
    }

    @Test
    void aPathMissingFromTheCommitIsInvalidAndPrunesNothing() {
        repo.write("deploy/shop.yaml", ENDPOINT.formatted("shop", "2")).commit("add shop");
        assertThat(syncOnce().exitCode()).isZero();
        repo.git("mv", "deploy", "manifests");
        String moved = repo.commit("deploy/ becomes manifests/");

        Cli.Run run = syncOnce();

        assertThat(run.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(run.err()).contains("error: deploy: no such file or directory in commit " + moved.substring(0, 12));
        assertThat(fleet.get("/api/v1/endpoints/shop").statusCode()).as("never an empty set that prunes everything").isEqualTo(200);
    }

    @Test
    void exitsWithWhatWentWrongWhenTheRepositoryOrBranchCannotBeRead() {
        Cli.Run unreachable = cli.run("sync", "--repo", tmp.resolve("nowhere").toString(), "--once", "--set", "nowhere",
                "--cache-dir", tmp.resolve("cache").toString());
        assertThat(unreachable.exitCode()).isEqualTo(ExitCode.UNAVAILABLE);
        assertThat(unreachable.out()).contains("fetch failed: cannot reach " + tmp.resolve("nowhere"));
        JsonNode attempt = applySet("nowhere").at("/status/lastAttempt");
        assertThat(attempt.at("/outcome").asText()).as("a failed fetch is recorded in the set").isEqualTo("Failed");
        assertThat(attempt.at("/message").asText()).contains("does not appear to be a git repository");

        Cli.Run noBranch = syncOnce("--branch", "release");
        assertThat(noBranch.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
        assertThat(noBranch.out()).contains("fetch failed: no branch release in " + repo.dir());

        Cli.Run badInterval = syncOnce("--interval", "soon");
        assertThat(badInterval.exitCode()).isEqualTo(ExitCode.INVALID);
    }

    private static String setName(Cli.Run run) {
        Matcher m = Pattern.compile("into apply set ([a-z0-9-]+)").matcher(run.out());
        assertThat(m.find()).as(run.out()).isTrue();
        return m.group(1);
    }

    private String maxCu(String endpoint) {
        return fleet.getJson("/api/v1/endpoints/" + endpoint).at("/spec/compute/maxCu").asText();
    }

    private JsonNode applySet(String name) {
        return fleet.getJson("/api/v1/applysets/" + name);
    }
}
