package io.tidepool.manifests.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import io.tidepool.api.codec.ManifestCodec;
import io.tidepool.api.resource.Resource;
import java.util.List;

/**
 * A unified diff of what manifests own (name, labels, annotations, spec), never status: the
 * autoscaler and the other controllers write status, and their work is not drift.
 */
public final class DeclaredDiff {
    private static final int CONTEXT_LINES = 3;
    private final ManifestCodec codec;

    public DeclaredDiff(ManifestCodec codec) {
        this.codec = codec;
    }

    /** The diff from {@code live} (null when absent) to {@code next}; empty when they declare the same. */
    public String between(Resource live, Resource next) {
        List<String> before = live == null ? List.of() : lines(live);
        List<String> after = lines(next);
        Patch<String> patch = DiffUtils.diff(before, after);
        if (patch.getDeltas().isEmpty()) {
            return "";
        }
        String ref = next.ref();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(
                live == null ? "/dev/null" : "live/" + ref, "applied/" + ref, before, patch, CONTEXT_LINES);
        return String.join("\n", unified) + "\n";
    }

    /** The diff that removes {@code live}: what a prune deletes. */
    public String removal(Resource live) {
        List<String> before = lines(live);
        Patch<String> patch = DiffUtils.diff(before, List.of());
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff("live/" + live.ref(), "/dev/null", before, patch,
                CONTEXT_LINES);
        return String.join("\n", unified) + "\n";
    }

    private List<String> lines(Resource resource) {
        Resource declared = resource.withoutStatus().withMetadata(resource.metadata().declaredOnly());
        return codec.toYaml(declared).lines().toList();
    }
}
