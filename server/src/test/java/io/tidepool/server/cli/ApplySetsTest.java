package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import io.tidepool.api.resource.Kind;
import io.tidepool.manifests.cli.ExitCode;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.registry.ResourceTxn;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Apply sets through the CLI against a running control plane: prune, opt-out, allow-empty, expect-revision, drift. */
@Timeout(120)
class ApplySetsTest {
    private static final String ENDPOINT = """
            apiVersion: tidepool.io/v1
            kind: Endpoint
            metadata:
              name: %s
              annotations: {%s}
            spec: {cell: local, compute: {minCu: 0.25, maxCu: %s}}
            """;

    @TempDir
    Path tmp;
    private CliFleet up;
    private LocalFleet fleet;
    private Cli cli;
    private Path shopfront;

    @BeforeEach
    void startFleet() throws IOException {
        up = CliFleet.start(tmp, "shopfront");
        fleet = up.fleet();
        cli = up.cli();
        shopfront = up.manifests();
    }

    @AfterEach
    void stopFleet() {
        up.close();
    }

    @Test
    void pruneDeletesWhatTheSetNoLongerDeclaresAndKeepsWhatOptedOut() throws IOException {
        declare("shop", "", "2");
        declare("cart", "", "1");
        declare("blog", "tidepool.io/prune: disabled", "1");
        Cli.Run first = cli.run("apply", "-f", shopfront.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).contains("3 created (apply set shopfront)");
        assertThat(applySet("shopfront").at("/status/objects").asInt()).isEqualTo(3);

        Files.delete(shopfront.resolve("cart.yaml"));
        Files.delete(shopfront.resolve("blog.yaml"));
        Cli.Run withoutPrune = cli.run("apply", "-f", shopfront.toString());
        assertThat(withoutPrune.out()).contains("Endpoint/shop unchanged").doesNotContain("pruned");
        assertThat(exists("cart")).as("without --prune nothing is deleted").isTrue();

        Cli.Run pruned = cli.run("apply", "-f", shopfront.toString(), "--prune");

        assertThat(pruned.exitCode()).as(pruned.err()).isZero();
        assertThat(pruned.out()).contains("Endpoint/cart pruned", "Endpoint/blog kept", "1 unchanged, 1 pruned, 1 kept");
        assertThat(exists("cart")).isFalse();
        assertThat(exists("blog")).as("opted out of pruning").isTrue();
        assertThat(applySet("shopfront").at("/status/objects").asInt()).as("a kept object leaves the set").isEqualTo(1);
        Cli.Run again = cli.run("apply", "-f", shopfront.toString(), "--prune");
        assertThat(again.out()).contains("1 unchanged").doesNotContain("blog");
    }

    @Test
    void refusesToPruneEveryObjectOfTheSetUnlessAllowedAndAppliesNothing() throws IOException {
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        Files.delete(shopfront.resolve("shop.yaml"));
        declare("other", "", "1");

        Cli.Run refused = cli.run("apply", "-f", shopfront.toString(), "--prune");

        assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("refusing to prune every object of apply set shopfront", "--allow-empty");
        assertThat(exists("shop")).isTrue();
        assertThat(exists("other")).as("nothing of a refused apply is written").isFalse();
        assertThat(applySet("shopfront").at("/status/lastAttempt/outcome").asText()).isEqualTo("Refused");

        Cli.Run allowed = cli.run("apply", "-f", shopfront.toString(), "--prune", "--allow-empty");

        assertThat(allowed.exitCode()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("Endpoint/other created", "Endpoint/shop pruned");
        assertThat(exists("shop")).isFalse();
    }

    @Test
    void expectRevisionIgnoresStatusWritesAndRefusesSpecChanges() throws IOException {
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        declare("shop", "", "3");
        long seen = diffRevision();
        writeStatusAsTheAutoscalerWould("shop");

        Cli.Run applied = cli.run("apply", "-f", shopfront.toString(), "--expect-revision", Long.toString(seen));

        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).contains("Endpoint/shop configured");

        declare("shop", "", "4");
        long before = diffRevision();
        assertThat(fleet.apply(ENDPOINT.formatted("shop", "", "1")).at("/results/0/action").asText()).isEqualTo("configured");

        Cli.Run refused = cli.run("apply", "-f", shopfront.toString(), "--expect-revision", Long.toString(before));

        assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("changed since revision " + before, "Endpoint/shop");
        assertThat(fleet.getJson("/api/v1/endpoints/shop").at("/spec/compute/maxCu").asText()).isEqualTo("1");
        assertThat(applySet("shopfront").at("/status/lastAttempt/outcome").asText()).isEqualTo("Conflict");
    }

    @Test
    void driftShowsObjectsChangedOrDeletedSinceTheSetAppliedThemButNotStatus() throws IOException {
        declare("shop", "", "2");
        declare("cart", "", "1");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        writeStatusAsTheAutoscalerWould("shop");
        assertThat(fleet.getJson("/api/v1/applysets/shopfront/drift").at("/drifted").isEmpty())
                .as("what controllers write is not drift").isTrue();

        fleet.apply(ENDPOINT.formatted("shop", "", "1"));
        assertThat(cli.run("delete", "endpoint", "cart").exitCode()).isZero();

        JsonNode drift = fleet.getJson("/api/v1/applysets/shopfront/drift");
        assertThat(drift.at("/objects").asInt()).isEqualTo(2);
        assertThat(drift.at("/drifted").toString()).contains("\"name\":\"shop\",\"reason\":\"changed\"",
                "\"name\":\"cart\",\"reason\":\"deleted\"");
        Cli.Run sets = cli.run("get", "applysets");
        assertThat(sets.out()).containsPattern("shopfront +2 +" + Pattern.quote(shopfront.toString()))
                .contains("Applied", "2 (Endpoint/cart deleted, Endpoint/shop changed)");

        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        assertThat(fleet.getJson("/api/v1/applysets/shopfront/drift").at("/drifted").isEmpty())
                .as("applying the set again puts it back").isTrue();
    }

    @Test
    void anInvalidApplyIsRecordedAndLeavesTheAppliedStateInForce() throws IOException {
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        String appliedAt = applySet("shopfront").at("/status/applied/at").asText();
        declare("shop", "", "0.3");

        Cli.Run invalid = cli.run("apply", "-f", shopfront.toString());

        assertThat(invalid.exitCode()).isEqualTo(ExitCode.INVALID);
        JsonNode status = applySet("shopfront").at("/status");
        assertThat(status.at("/applied/at").asText()).isEqualTo(appliedAt);
        assertThat(status.at("/lastAttempt/outcome").asText()).isEqualTo("Invalid");
        assertThat(status.at("/lastAttempt/errors/0").asText()).contains("shop.yaml:6:", "spec.compute.maxCu");
    }

    @Test
    void refusesToPruneACellThatEndpointsStillUse() throws IOException {
        Files.writeString(shopfront.resolve("cell.yaml"), """
                apiVersion: tidepool.io/v1
                kind: Cell
                metadata: {name: spare}
                spec: {hostTemplate: {cpus: 16, memory: 64Gi}}
                """);
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        Files.delete(shopfront.resolve("cell.yaml"));
        Files.writeString(shopfront.resolve("shop.yaml"), ENDPOINT.formatted("shop", "", "2").replace("local", "spare"));

        Cli.Run refused = cli.run("apply", "-f", shopfront.toString(), "--prune");

        assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILED);
        assertThat(refused.err()).contains("cannot prune Cell/spare", "Endpoint/shop");
        assertThat(fleet.get("/api/v1/cells/spare").statusCode()).isEqualTo(200);
    }

    @Test
    void aSetNamedAfterItsPathRefusesAnotherPathOfTheSameName() throws IOException {
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();
        Path elsewhere = Files.createDirectories(tmp.resolve("staging").resolve("shopfront"));
        Files.writeString(elsewhere.resolve("cart.yaml"), ENDPOINT.formatted("cart", "", "1"));

        Cli.Run refused = cli.run("apply", "-f", elsewhere.toString(), "--prune");

        assertThat(refused.exitCode()).isEqualTo(ExitCode.INVALID);
        assertThat(refused.err()).contains("apply set shopfront was applied from " + shopfront, "--set NAME");
        assertThat(exists("shop")).isTrue();
        assertThat(cli.run("apply", "-f", elsewhere.toString(), "--set", "staging-shopfront", "--prune").exitCode()).isZero();
        assertThat(exists("cart")).isTrue();
    }

    @Test
    void deletingASetForgetsItsObjectsWithoutDeletingThem() throws IOException {
        declare("shop", "", "2");
        assertThat(cli.run("apply", "-f", shopfront.toString()).exitCode()).isZero();

        assertThat(cli.run("delete", "applyset", "shopfront").exitCode()).isZero();
        Files.delete(shopfront.resolve("shop.yaml"));
        declare("cart", "", "1");
        Cli.Run again = cli.run("apply", "-f", shopfront.toString(), "--prune");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).contains("Endpoint/cart created").doesNotContain("pruned");
        assertThat(exists("shop")).as("a set made again under the name inherits no members").isTrue();
        assertThat(applySet("shopfront").at("/status/objects").asInt()).isEqualTo(1);
    }

    private void declare(String name, String annotations, String maxCu) throws IOException {
        Files.writeString(shopfront.resolve(name + ".yaml"), ENDPOINT.formatted(name, annotations, maxCu));
    }

    private long diffRevision() {
        Cli.Run diff = cli.run("diff", "-f", shopfront.toString());
        assertThat(diff.exitCode()).as(diff.err()).isEqualTo(ExitCode.DIFFERENT);
        Matcher m = Pattern.compile("at store revision (\\d+)").matcher(diff.err());
        assertThat(m.find()).as(diff.err()).isTrue();
        assertThat(diff.out()).as("stdout is the patch alone").startsWith("--- live/");
        return Long.parseLong(m.group(1));
    }

    /** A status write, as the autoscaler makes when it scales: not something manifests own. */
    private void writeStatusAsTheAutoscalerWould(String name) {
        ResourceRegistry registry = new ResourceRegistry(fleet.plane().store());
        for (int attempt = 0; attempt < 10; attempt++) {
            if (tryStatusWrite(registry, name)) {
                return;
            }
        }
        throw new AssertionError("the controllers kept writing " + name + " for 10 attempts");
    }

    private static boolean tryStatusWrite(ResourceRegistry registry, String name) {
        Endpoint live = registry.get(Endpoint.class, Kind.ENDPOINT, name).orElseThrow();
        Endpoint.Status status = live.status() == null
                ? new Endpoint.Status(Endpoint.Phase.Pending, null, null, null, null, null, null, null, null) : live.status();
        Endpoint next = live.withStatus(new Endpoint.Status(status.phase(), status.host(), status.cu(), status.address(),
                status.conditions(), new Endpoint.Decision(Instant.now(), Cu.ofQuarters(1), Cu.ofQuarters(2), "test upscale"),
                status.compute(), status.epoch(), status.resumeRequestedAt()));
        return registry.store().txn(new ResourceTxn().update(live, next).toTxn()).succeeded();
    }

    private boolean exists(String endpoint) {
        return fleet.get("/api/v1/endpoints/" + endpoint).statusCode() == 200;
    }

    private JsonNode applySet(String name) {
        return fleet.getJson("/api/v1/applysets/" + name);
    }
}
