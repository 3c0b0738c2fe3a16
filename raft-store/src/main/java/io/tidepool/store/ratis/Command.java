package io.tidepool.store.ratis;

import io.tidepool.store.Txn;

import java.util.List;

/** What goes through the Raft log: every replica applies the same commands in the same order. */
sealed interface Command permits Command.Write, Command.Batch, Command.Compact {

    /** A transaction; decided (compares evaluated) only when applied. */
    record Write(Txn txn) implements Command {
    }

    /**
     * Several independent transactions in one log entry (group commit): applied one after another,
     * each all-or-nothing at its own revision, as if each had its own entry.
     */
    record Batch(List<Txn> txns) implements Command {
        public Batch {
            txns = List.copyOf(txns);
            if (txns.isEmpty()) {
                throw new IllegalArgumentException("a batch holds at least one transaction");
            }
        }
    }

    /** Forget the change history below {@code revision} on every replica. */
    record Compact(long revision) implements Command {
    }
}
