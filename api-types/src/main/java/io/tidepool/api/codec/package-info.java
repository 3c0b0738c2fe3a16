/**
 * Reading and writing resources as text.
 *
 * <p>Manifests, written by people, are read by {@link io.tidepool.api.codec.ManifestCodec}: SnakeYAML
 * composes each document into a node graph under {@link io.tidepool.api.codec.ManifestLimits} (enforced
 * per document, with positions, by {@code BoundedEvents}), and {@code NodeBinder} binds the graph to the
 * resource records field by field, so that every mistake is reported at its line and column and the
 * positions of all fields are kept in a {@link io.tidepool.api.codec.FieldLocator} for later checks.
 *
 * <p>Machine-written data, in the store and on the wire, goes through {@link io.tidepool.api.codec.ResourceJson},
 * a Jackson mapper. Both sides write and parse quantities, days, times and zones through the same
 * {@code ScalarForm}s, so a value means the same in a manifest, in the store and in a response.
 */
package io.tidepool.api.codec;
