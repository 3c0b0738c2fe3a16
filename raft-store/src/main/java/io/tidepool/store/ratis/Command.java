package io.tidepool.store.ratis;

import io.tidepool.store.Txn;

/** What goes through the Raft log: every replica applies the same commands in the same order. */
sealed interface Command permits Command.Write, Command.Compact {

    /** A transaction; decided (compares evaluated) only when applied. */
    record Write(Txn txn) implements Command {
    }

    /** Forget the change history below {@code revision} on every replica. */
    record Compact(long revision) implements Command {
    }
}
