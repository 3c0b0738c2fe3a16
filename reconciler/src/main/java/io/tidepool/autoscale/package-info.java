/**
 * The autoscaler's decision: from a compute's recent metrics, bounds and sizes, whether to grow it,
 * shrink it or leave it, and why. Everything here is pure (inputs and {@code now} in, a decision
 * out) except {@link io.tidepool.autoscale.GoalHistory}, the small soft state the leader keeps per
 * compute to remember the goals of the last stabilisation window.
 */
package io.tidepool.autoscale;
