package io.tidepool.manifests.sync;

import io.tidepool.manifests.git.BranchHead;
import io.tidepool.manifests.git.GitException;
import io.tidepool.manifests.git.ManifestTree;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one round of a sync saw and did, for the line {@code tidepool sync} prints and the server logs.
 *
 * @param outcome      how the round's attempt ended; empty when it attempted nothing
 * @param fetchFailure why the repository could not be read, when it could not
 * @param inForce      the commit in force after the round
 * @param drifted      objects of the set ({@code Kind/name}) that differ from the commit in force after the round
 */
public record RoundReport(Instant at, Optional<BranchHead> head, SyncDecision decision, Optional<AttemptOutcome> outcome,
                          Optional<GitException.Reason> fetchFailure, Map<String, Integer> counts,
                          Optional<String> inForce, List<String> drifted, String message, List<String> errors) {
    private static final List<String> ACTIONS = List.of("created", "configured", "unchanged", "pruned", "kept");
    private static final int MAX_DRIFT_NAMES = 5;

    public RoundReport {
        counts = Map.copyOf(counts);
        drifted = List.copyOf(drifted);
        errors = List.copyOf(errors);
    }

    /** One line: which commit, what happened, the counts, the commit in force when it is not the head, and drift. */
    public String line() {
        List<String> parts = new ArrayList<>();
        parts.add(head.map(h -> h.branch() + "@" + ManifestTree.shortId(h.commit())).orElse("(no head)") + " " + what());
        boolean headInForce = head.isPresent() && inForce.equals(head.map(BranchHead::commit));
        if (!headInForce) {
            parts.add("in force: " + inForce.map(ManifestTree::shortId).orElse("nothing yet"));
        }
        parts.add(driftText());
        return String.join("; ", parts);
    }

    private String what() {
        if (decision instanceof SyncDecision.KeepPrevious keep) {
            return "invalid, not applied; tried again after " + keep.retryAt();
        }
        if (outcome.isEmpty()) {
            return drifted.isEmpty() ? "in sync" : "drifted from the commit; --self-heal puts it back";
        }
        String healing = decision instanceof SyncDecision.Heal ? "self-heal " : "";
        return switch (outcome.get()) {
            case APPLIED -> healing + "applied: " + countsText();
            case UNCHANGED -> healing + "unchanged";
            case INVALID -> healing + "invalid: " + errors.size() + (errors.size() == 1 ? " error" : " errors")
                    + ", nothing applied";
            case REFUSED -> healing + "refused: " + message;
            case CONFLICT -> healing + "conflict, tried again next round: " + message;
            case UNAVAILABLE -> "server unavailable, tried again next round: " + message;
            case FETCH_FAILED -> "fetch failed: " + message;
        };
    }

    private String countsText() {
        String text = ACTIONS.stream().filter(counts::containsKey).filter(a -> counts.get(a) > 0)
                .map(a -> counts.get(a) + " " + a).collect(Collectors.joining(", "));
        return text.isEmpty() ? "no objects" : text;
    }

    private String driftText() {
        if (drifted.isEmpty()) {
            return "drift 0";
        }
        String names = drifted.stream().limit(MAX_DRIFT_NAMES).collect(Collectors.joining(", "))
                + (drifted.size() > MAX_DRIFT_NAMES ? ", ..." : "");
        return "drift " + drifted.size() + " (" + names + ")";
    }
}
