package io.tidepool.store.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.maintenance.StatusResponse;
import io.tidepool.store.Await;
import io.tidepool.store.ratis.Peer;
import io.tidepool.store.ratis.RatisStoreClient;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A store the benchmark writes to with blocking puts, over that store's own client protocol. */
interface PutTarget extends AutoCloseable {

    String name();

    /** Puts one key and returns once the store has acknowledged it (committed, fsynced). */
    void put(String key, byte[] value) throws Exception;

    @Override
    void close();

    /** Tidepool's store through {@link RatisStoreClient}: Ratis' gRPC client protocol, to the leader. */
    static PutTarget tidepool(List<Peer> peers) {
        RatisStoreClient client = RatisStoreClient.connect(peers);
        return new PutTarget() {
            @Override
            public String name() {
                return "tidepool";
            }

            @Override
            public void put(String key, byte[] value) {
                client.put(key, value);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /**
     * etcd through jetcd, its native gRPC API. Connected to the leader only, as the Ratis client is
     * (a follower would forward every proposal to the leader, an extra hop etcd need not pay).
     */
    static PutTarget etcd(List<String> endpoints) throws Exception {
        String leader = leaderOf(endpoints);
        Client client = Client.builder().endpoints(leader).build();
        KV kv = client.getKVClient();
        return new PutTarget() {
            @Override
            public String name() {
                return "etcd";
            }

            @Override
            public void put(String key, byte[] value) throws Exception {
                kv.put(ByteSequence.from(key.getBytes()), ByteSequence.from(value)).get(15, TimeUnit.SECONDS);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /**
     * etcd through the gRPC stubs that jetcd generates from etcd's protos (jetcd-grpc), with no
     * jetcd layer on top: one channel to the leader and blocking unary Put calls, as etcd's own Go
     * benchmark tool does. Lighter on the client's CPU than jetcd, which the servers share here.
     */
    static PutTarget etcdGrpc(List<String> endpoints) throws Exception {
        URI leader = URI.create(leaderOf(endpoints));
        ManagedChannel channel = NettyChannelBuilder.forAddress(leader.getHost(), leader.getPort()).usePlaintext()
                .build();
        KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(channel);
        return new PutTarget() {
            @Override
            public String name() {
                return "etcd";
            }

            @Override
            public void put(String key, byte[] value) {
                kv.withDeadlineAfter(15, TimeUnit.SECONDS).put(PutRequest.newBuilder()
                        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFrom(value)).build());
            }

            @Override
            public void close() {
                channel.shutdownNow();
            }
        };
    }

    private static String leaderOf(List<String> endpoints) throws Exception {
        if (endpoints.size() == 1) {
            return endpoints.get(0);
        }
        return Await.value(Duration.ofSeconds(30), "an etcd leader among " + endpoints, () -> {
            for (String endpoint : endpoints) {
                try (Client client = Client.builder().endpoints(endpoint).build()) {
                    StatusResponse status = client.getMaintenanceClient().statusMember(endpoint)
                            .get(5, TimeUnit.SECONDS);
                    if (status.getLeader() != 0 && status.getLeader() == status.getHeader().getMemberId()) {
                        return endpoint;
                    }
                } catch (Exception e) {
                    // Not up yet, or no leader elected yet: ask again.
                }
            }
            return null;
        });
    }
}
