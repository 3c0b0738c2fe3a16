package io.tidepool.store;

/**
 * Whether the compares held, and the store revision after the transaction: the revision of its
 * writes when it wrote something, otherwise the revision it was evaluated at.
 */
public record TxnResult(boolean succeeded, long revision) {
}
