package io.tidepool.store.ratis;

/**
 * What one node of the store shows on /metrics and in diagnostics.
 *
 * @param role               LEADER, FOLLOWER, CANDIDATE, LISTENER, or STOPPED
 * @param leaderId           the leader this node knows of, or null
 * @param appliedIndex       the Raft log index this node's state has applied
 * @param commitIndex        the Raft log index this node knows to be committed
 * @param snapshotIndex      the log index of this node's newest snapshot, -1 when none
 * @param revision           the store revision of this node's state (may trail the leader's)
 * @param snapshotsInstalled snapshots this node received from a leader since it started
 */
public record NodeStatus(String nodeId, String role, String leaderId, long term, long appliedIndex,
                         long commitIndex, long snapshotIndex, long revision, long snapshotsInstalled) {
}
