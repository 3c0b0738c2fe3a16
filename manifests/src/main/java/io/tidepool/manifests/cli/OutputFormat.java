package io.tidepool.manifests.cli;

/** How {@code get} prints objects. */
public enum OutputFormat { table, yaml, json, name }
