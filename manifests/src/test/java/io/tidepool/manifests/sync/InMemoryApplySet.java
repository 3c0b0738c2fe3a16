package io.tidepool.manifests.sync;

import io.tidepool.api.resource.ApplySet;
import io.tidepool.manifests.source.ManifestFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An apply set as the server keeps one, in a test's memory: each file declares one object named by
 * the file; a file whose text contains {@code invalid} is an invalid manifest (the set then changes
 * nothing); live objects can be edited behind the set's back, which is drift.
 */
final class InMemoryApplySet implements ApplySetTarget {
    /** What the set's status records about its last attempt. */
    record Attempt(ApplySet.Source source, AttemptOutcome outcome, String message, List<String> errors) {
    }

    private final Map<String, String> live = new TreeMap<>();
    private final Map<String, String> applied = new TreeMap<>();
    private Optional<String> appliedCommit = Optional.empty();
    final List<Attempt> attempts = new ArrayList<>();
    final List<ApplySet.Source> applies = new ArrayList<>();
    boolean down;

    @Override
    public String setName() {
        return "fleet-deploy";
    }

    @Override
    public Optional<String> appliedCommit() {
        available();
        return appliedCommit;
    }

    @Override
    public List<String> drift() {
        available();
        return applied.keySet().stream().filter(ref -> !applied.get(ref).equals(live.get(ref))).toList();
    }

    @Override
    public ApplyAttempt apply(List<ManifestFile> files, ApplySet.Source source) {
        available();
        applies.add(source);
        List<String> errors = files.stream().filter(f -> f.text().contains("invalid"))
                .map(f -> f.source() + ":1:1: Endpoint/" + name(f) + ": spec: invalid").toList();
        if (!errors.isEmpty()) {
            return record(source, ApplyAttempt.failed(AttemptOutcome.INVALID, errors.size() + " errors", errors));
        }
        Map<String, String> declared = new TreeMap<>();
        files.forEach(f -> declared.put("Endpoint/" + name(f), f.text()));
        Map<String, Integer> counts = new LinkedHashMap<>();
        declared.forEach((ref, text) -> counts.merge(!live.containsKey(ref) ? "created"
                : live.get(ref).equals(text) ? "unchanged" : "configured", 1, Integer::sum));
        applied.keySet().stream().filter(ref -> !declared.containsKey(ref)).forEach(ref -> {
            live.remove(ref);
            counts.merge("pruned", 1, Integer::sum);
        });
        live.putAll(declared);
        applied.clear();
        applied.putAll(declared);
        appliedCommit = Optional.of(source.commit());
        boolean changed = counts.keySet().stream().anyMatch(a -> !a.equals("unchanged"));
        return record(source, new ApplyAttempt(changed ? AttemptOutcome.APPLIED : AttemptOutcome.UNCHANGED, counts, "", List.of()));
    }

    @Override
    public void recordFailure(ApplySet.Source source, AttemptOutcome outcome, String message, List<String> errors) {
        available();
        attempts.add(new Attempt(source, outcome, message, errors));
    }

    /** A manual change to a live object, as {@code tidepool apply} or a PUT would make it. */
    void edit(String ref, String text) {
        live.put(ref, text);
    }

    Map<String, String> live() {
        return Map.copyOf(live);
    }

    private ApplyAttempt record(ApplySet.Source source, ApplyAttempt attempt) {
        attempts.add(new Attempt(source, attempt.outcome(), attempt.message(), attempt.errors()));
        return attempt;
    }

    private void available() {
        if (down) {
            throw TargetException.unavailable("cannot reach the Tidepool server", null);
        }
    }

    private static String name(ManifestFile file) {
        return file.source().replaceAll(".*/", "").replaceAll("\\.ya?ml$", "");
    }
}
