package io.tidepool.store.ratis;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis' gRPC transport, except that the leader tells a follower of every new commit index at
 * once, as etcd's raft does, instead of with the next entry or heartbeat.
 *
 * <p>A follower applies, and so tells its watchers, only what it knows to be committed. Ratis
 * carries the commit index to followers in a log entry of its own per commit (log metadata, which
 * {@link RaftSettings} turns off: a log write and fsync per commit) or else in the next append,
 * which after a quiet spell is the next heartbeat, half the minimum election timeout later. A host
 * agent watching a follower then saw a resize up to 150 ms after the leader had committed it.
 * Here an appender whose follower has every entry but not the latest commit index sends it an
 * empty append at once.
 *
 * <p>Named by its class in {@code raft.rpc.type}; Ratis makes it by reflection.
 */
public final class CommitPushingRpc implements RpcType {

    @Override
    public String name() {
        return CommitPushingRpc.class.getName();
    }

    @Override
    public RpcFactory newFactory(Parameters parameters) {
        return new Factory(parameters);
    }

    private static final class Factory extends GrpcFactory {
        Factory(Parameters parameters) {
            super(parameters);
        }

        @Override
        public LogAppender newLogAppender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
            return new Appender(server, state, follower);
        }
    }

    /**
     * The run loop of {@link GrpcLogAppender} sends an empty append when the heartbeat wait is
     * over; this appender says it is over while the follower lacks the commit index, and polls
     * each millisecond while appends are in flight (a heartbeat then would not carry the index).
     */
    private static final class Appender extends GrpcLogAppender {
        private static final long POLL_MILLIS = 1;

        /** The highest commit index sent to this follower; only the appender's thread writes it. */
        private volatile long commitSent = -1;

        Appender(RaftServer.Division server, LeaderState state, FollowerInfo follower) {
            super(server, state, follower);
        }

        @Override
        public long getHeartbeatWaitTimeMs() {
            long wait = super.getHeartbeatWaitTimeMs();
            if (wait <= 0 || !followerLacksCommit()) {
                return wait;
            }
            return hasPendingDataRequests() ? Math.min(wait, POLL_MILLIS) : 0;
        }

        private boolean followerLacksCommit() {
            long committed = getRaftLog().getLastCommittedIndex();
            return committed > commitSent && committed > getFollower().getCommitIndex() && !hasAppendEntries();
        }

        @Override
        public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat) throws RaftLogIOException {
            AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
            if (request != null && request.getLeaderCommit() > commitSent) {
                commitSent = request.getLeaderCommit();
            }
            return request;
        }
    }
}
