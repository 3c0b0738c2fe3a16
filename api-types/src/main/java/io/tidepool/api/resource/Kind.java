package io.tidepool.api.resource;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The kinds of resource Tidepool stores. Only declarable kinds may appear in manifests. */
public enum Kind {
    CELL("Cell", "cells", true, Cell.class),
    HOST("Host", "hosts", true, Host.class),
    ENDPOINT("Endpoint", "endpoints", true, Endpoint.class),
    COMPUTE("Compute", "computes", false, Compute.class),
    MIGRATION("Migration", "migrations", false, Migration.class),
    EVENT("Event", "events", false, Event.class),
    APPLY_SET("ApplySet", "applysets", false, ApplySet.class);

    private final String displayName;
    private final String plural;
    private final boolean declarable;
    private final Class<? extends Resource> type;

    Kind(String displayName, String plural, boolean declarable, Class<? extends Resource> type) {
        this.displayName = displayName;
        this.plural = plural;
        this.declarable = declarable;
        this.type = type;
    }

    public String displayName() {
        return displayName;
    }

    public String plural() {
        return plural;
    }

    /** Whether manifests may declare this kind; the others are written by the system only. */
    public boolean declarable() {
        return declarable;
    }

    public Class<? extends Resource> type() {
        return type;
    }

    /** Every kind as manifests name it, declarable ones first: {@code Cell, Host, Endpoint, ...}. */
    public static List<String> displayNames() {
        return Arrays.stream(values()).map(Kind::displayName).toList();
    }

    /** The kind named exactly as in a manifest's {@code kind:} field. */
    public static Optional<Kind> ofDisplayName(String name) {
        return Arrays.stream(values()).filter(k -> k.displayName.equals(name)).findFirst();
    }

    /** The kind named as on a command line or in a URL: singular or plural, any case. */
    public static Optional<Kind> ofAnyName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.plural.equals(lower) || k.displayName.toLowerCase(Locale.ROOT).equals(lower))
                .findFirst();
    }

    @Override
    public String toString() {
        return displayName;
    }
}
