/**
 * The rules a manifest set must meet beyond its syntax: {@link io.tidepool.api.validation.ManifestValidator}
 * checks names, labels, sizes, references between objects and every field's bounds, with one class of
 * rules per kind of thing checked.
 */
package io.tidepool.api.validation;
