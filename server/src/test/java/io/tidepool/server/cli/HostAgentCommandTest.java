package io.tidepool.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.api.resource.Kind;
import io.tidepool.registry.ResourceRegistry;
import io.tidepool.server.Cli;
import io.tidepool.server.LocalFleet;
import io.tidepool.server.Main;
import io.tidepool.sim.workload.Idle;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code tidepool token create} and what {@code tidepool host-agent} refuses before it runs, against a real control plane. */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostAgentCommandTest {
    @TempDir
    static Path tmp;
    private LocalFleet fleet;

    @BeforeAll
    void start() throws Exception {
        fleet = LocalFleet.start(tmp.resolve("plane"), 0, endpoint -> Idle.TYPICAL);
    }

    @AfterAll
    void stop() {
        fleet.close();
    }

    @Test
    void tokenCreatePrintsATokenThatLetsOnlyThatHostsAgentIn() throws Exception {
        Cli.Run made = new Cli(fleet.url(), fleet.plane().adminToken()).run("token", "create", "--host", "db-1");

        assertThat(made.exitCode()).as(made.err()).isZero();
        String token = made.out().trim();
        assertThat(token).startsWith("tp_").doesNotContain("\n");
        assertThat(made.err()).contains("shown this once");
        assertThat(get("/api/v1/computes?host=db-1", token).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/computes?host=db-2", token).statusCode()).isEqualTo(403);
        assertThat(get("/api/v1/endpoints", token).statusCode()).isEqualTo(403);
    }

    @Test
    void tokenCreateRefusesAHostNameThatCannotBeOne() {
        Cli.Run refused = new Cli(fleet.url(), fleet.plane().adminToken()).run("token", "create", "--host", "Db_1");

        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("error: --host: expected a DNS label").contains("did you mean db-1?");
    }

    @Test
    void aHostsAgentCannotMakeTokens() throws Exception {
        String agentToken = new Cli(fleet.url(), fleet.plane().adminToken()).run("token", "create", "--host", "db-3").out().trim();

        Cli.Run refused = new Cli(fleet.url(), agentToken).run("token", "create", "--host", "db-4");

        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.err()).contains("may not POST /api/v1/tokens");
    }

    @Test
    void hostAgentRefusesToStartWithoutAToken() {
        assumeTrue(System.getenv("TIDEPOOL_TOKEN") == null, "TIDEPOOL_TOKEN is set in this environment");

        Run run = hostAgent("--server", fleet.url(), "--driver", "sim", "--name", "db-5");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("error: no token: pass --token-file FILE or set TIDEPOOL_TOKEN")
                .contains("tidepool token create --host NAME");
    }

    @Test
    void hostAgentRefusesASizeItCannotRead() throws Exception {
        Run run = hostAgent("--server", fleet.url(), "--driver", "sim", "--name", "db-6", "--token-file", tokenFile("db-6").toString(),
                "--memory", "64Gb");

        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.err).contains("--memory: expected memory like 512Mi, 64Gi");
    }

    @Test
    void hostAgentStopsAtOnceWhenTheControlPlaneRefusesItsHost() throws Exception {
        Path ownToken = tokenFile("db-7");

        Run noCell = hostAgent("--server", fleet.url(), "--driver", "sim", "--name", "db-7", "--token-file", ownToken.toString(),
                "--cell", "nowhere");
        Run otherHost = hostAgent("--server", fleet.url(), "--driver", "sim", "--name", "db-8", "--token-file", ownToken.toString());

        assertThat(noCell.exitCode).isEqualTo(2);
        assertThat(noCell.err).contains("error: the control plane refuses to register host db-7: 400 spec.cell:").contains("nowhere");
        assertThat(otherHost.exitCode).isEqualTo(2);
        assertThat(otherHost.err).contains("refuses to register host db-8: 403 the token of host db-7's agent may not");
        ResourceRegistry registry = new ResourceRegistry(fleet.plane().store());
        assertThat(registry.get(Kind.HOST, "db-7")).isEmpty();
        assertThat(registry.get(Kind.HOST, "db-8")).isEmpty();
    }

    private record Run(int exitCode, String out, String err) {
    }

    private static Run hostAgent(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine command = Main.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "host-agent";
        System.arraycopy(args, 0, all, 1, args.length);
        int exitCode = command.execute(all);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private Path tokenFile(String host) throws Exception {
        String token = new Cli(fleet.url(), fleet.plane().adminToken()).run("token", "create", "--host", host).out().trim();
        Path file = tmp.resolve(host + ".token");
        Files.writeString(file, token + "\n");
        return file;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(fleet.url() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
