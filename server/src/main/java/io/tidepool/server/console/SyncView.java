package io.tidepool.server.console;

import java.util.List;

/** The git sync page. */
public record SyncView(List<Object> applySets, String note) {
    static SyncView of() {
        return new SyncView(List.of(), null);
    }
}
