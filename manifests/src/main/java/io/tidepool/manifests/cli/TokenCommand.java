package io.tidepool.manifests.cli;

import io.tidepool.api.agent.HostToken;
import io.tidepool.api.validation.ManifestValidator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "token", description = "Make tokens for host agents (admins only).",
        subcommands = TokenCommand.Create.class)
public final class TokenCommand {

    @Command(name = "create", description = {
            "Make a token for the agent of one host: it may only register that host and run its computes.",
            "Prints the token alone on stdout, once; the server keeps only its hash.",
            "Give it to the agent: tidepool host-agent --token-file FILE."})
    public static final class Create implements Callable<Integer> {
        @Mixin
        ClientOptions client;

        @Option(names = "--host", required = true, paramLabel = "NAME", description = "The host whose agent uses the token")
        String host;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ManifestValidator.nameProblem(host).ifPresent(problem -> {
                throw new CliException(ExitCode.INVALID, "--host: " + problem);
            });
            HostToken token = client.connect().createHostToken(host);
            spec.commandLine().getOut().println(token.token());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().println("Token for host " + token.host() + "'s agent: shown this once, keep it secret.");
            spec.commandLine().getErr().flush();
            return ExitCode.OK;
        }
    }
}
