package io.tidepool.server.cli;

import io.tidepool.server.ControlPlane;
import io.tidepool.server.auth.AdminToken;
import io.tidepool.server.sync.SyncSettings;
import io.tidepool.store.ratis.Peer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "server", description = {
        "Run one control-plane node: a member of the store's Raft group, and the API.",
        "A cluster is 3 or 5 of these, each given every member with --peers."})
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--node-id", required = true, paramLabel = "ID", description = "This node's id in --peers")
    String nodeId;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where this node keeps its replica and admin token")
    Path dataDir;

    @Option(names = "--raft-address", required = true, paramLabel = "HOST:PORT", description = "Where this node's Raft peers reach it")
    String raftAddress;

    @Option(names = "--peers", split = ",", paramLabel = "ID=HOST:PORT",
            description = "Every member of the group, this node included (default: this node alone)")
    List<String> peers = new ArrayList<>();

    @Option(names = "--port", defaultValue = "7480", paramLabel = "N", description = "API port (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address the API listens on; 0.0.0.0 for every interface (default: ${DEFAULT-VALUE})")
    String bind;

    @Mixin
    SyncOptions sync;

    @Mixin
    ProxyOptions proxy;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Peer> group = group();
        Optional<SyncSettings> syncSettings = sync.settings(spec.commandLine());
        ControlPlane plane = ControlPlane.start(new ControlPlane.Config(nodeId, dataDir, group, bind, port).withSync(syncSettings)
                .withProxy(proxy.settings(spec.commandLine(), bind, Optional.empty())));
        PrintWriter out = spec.commandLine().getOut();
        Foreground.runUntilStopped(plane::close, () -> {
            out.println("Tidepool node " + nodeId + " is serving http://" + bind + ":" + plane.httpPort()
                    + " (Raft " + raftAddress + ", group of " + group.size() + ")");
            out.println("Its admin token is in " + dataDir.resolve(AdminToken.FILE_NAME) + "; it works on every node.");
            syncSettings.ifPresent(s -> out.println("While it leads, it syncs " + s.describe() + "."));
            out.flush();
        });
        return 0;
    }

    private List<Peer> group() {
        if (peers.isEmpty()) {
            return List.of(new Peer(nodeId, raftAddress));
        }
        List<Peer> group = new ArrayList<>();
        for (String entry : peers) {
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--peers: expected ID=HOST:PORT, got \"" + entry + "\"");
            }
            group.add(new Peer(entry.substring(0, eq), entry.substring(eq + 1)));
        }
        Peer self = group.stream().filter(p -> p.id().equals(nodeId)).findFirst().orElseThrow(() ->
                new ParameterException(spec.commandLine(), "--peers must include this node (" + nodeId + ")"));
        if (!self.address().equals(raftAddress)) {
            throw new ParameterException(spec.commandLine(), "--peers gives " + nodeId + " the address " + self.address()
                    + " but --raft-address is " + raftAddress);
        }
        return group;
    }
}
