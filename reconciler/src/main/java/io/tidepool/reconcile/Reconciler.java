package io.tidepool.reconcile;

/**
 * Makes what exists match what is wanted for one key. It gets only the key and reads the current
 * state itself, so it is level-driven: calling it twice, or after missing events, is harmless.
 * Throwing retries the key after its backoff.
 */
@FunctionalInterface
public interface Reconciler<K> {
    Result reconcile(K key) throws Exception;
}
