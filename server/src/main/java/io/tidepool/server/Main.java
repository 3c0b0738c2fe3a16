package io.tidepool.server;

import io.tidepool.manifests.cli.ApplyCommand;
import io.tidepool.manifests.cli.CliErrors;
import io.tidepool.manifests.cli.ConnectionStringCommand;
import io.tidepool.manifests.cli.ConsoleLinkCommand;
import io.tidepool.manifests.cli.DeleteCommand;
import io.tidepool.manifests.cli.DescribeCommand;
import io.tidepool.manifests.cli.DiffCommand;
import io.tidepool.manifests.cli.GetCommand;
import io.tidepool.manifests.cli.PlanCommand;
import io.tidepool.manifests.cli.PsqlCommand;
import io.tidepool.manifests.cli.ResumeCommand;
import io.tidepool.manifests.cli.SyncCommand;
import io.tidepool.manifests.cli.TokenCommand;
import io.tidepool.server.cli.HostAgentCommand;
import io.tidepool.server.cli.ServerCommand;
import io.tidepool.server.cli.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** {@code tidepool VERB}: the one entry point of the distribution. */
@Command(name = "tidepool", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tenant Postgres databases, densely packed and sized to their load, live.",
        subcommands = {UpCommand.class, ServerCommand.class, HostAgentCommand.class, ApplyCommand.class, DiffCommand.class,
                PlanCommand.class, SyncCommand.class, GetCommand.class, DescribeCommand.class, DeleteCommand.class,
                ResumeCommand.class, ConnectionStringCommand.class, PsqlCommand.class, TokenCommand.class,
                ConsoleLinkCommand.class, HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    public static void main(String[] args) {
        quietJavaUtilLogging();
        System.exit(commandLine().execute(args));
    }

    // Ratis' shaded gRPC logs through java.util.logging, whose INFO lines would land in the terminal.
    private static void quietJavaUtilLogging() {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : root.getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
    }

    /** The command tree with its error handling, for {@link #main} and for tests that run verbs in process. */
    public static CommandLine commandLine() {
        return new CommandLine(new Main()).setExecutionExceptionHandler(new CliErrors());
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: missing command");
        spec.commandLine().usage(spec.commandLine().getErr());
        return io.tidepool.manifests.cli.ExitCode.INVALID;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tidepool " + (version == null ? "(development build)" : version)};
        }
    }
}
