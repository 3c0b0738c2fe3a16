package io.tidepool.manifests.cli;

import io.tidepool.manifests.client.ApiClient;
import io.tidepool.manifests.client.ClientConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** How a verb finds its server: flags first, then {@code TIDEPOOL_TOKEN}, then the client config file. */
public final class ClientOptions {
    @Option(names = "--server", paramLabel = "URL", description = "Tidepool server, e.g. http://127.0.0.1:7480 (default: from the client config)")
    String server;

    @Option(names = "--config", paramLabel = "FILE", description = "Client config file (default: $TIDEPOOL_CONFIG or ~/.tidepool/config.yaml)")
    Path config;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Bearer token; prefer $TIDEPOOL_TOKEN, which other users cannot see in the process list")
    String token;

    public ApiClient connect() {
        Path path = config != null ? config : ClientConfig.defaultPath(System.getenv());
        Optional<ClientConfig> file = ClientConfig.read(path);
        String url = server != null ? server : file.map(ClientConfig::server).orElse(null);
        String bearer = token != null ? token
                : Optional.ofNullable(System.getenv(ClientConfig.TOKEN_ENV)).orElse(file.map(ClientConfig::token).orElse(null));
        if (url == null || bearer == null) {
            throw new CliException(ExitCode.INVALID, "no Tidepool server configured (" + path + " not found): run "
                    + "`tidepool up`, or pass --server URL and set " + ClientConfig.TOKEN_ENV);
        }
        return new ApiClient(url, bearer);
    }
}
