package io.tidepool.server.api;

import io.javalin.http.Context;
import io.tidepool.api.codec.ResourceJson;
import io.tidepool.api.resource.ApplySet;
import io.tidepool.api.validation.DnsLabel;
import io.tidepool.manifests.apply.FailedAttempt;
import io.tidepool.server.apply.ApplySetRecords;
import java.util.List;

/**
 * {@code POST /api/v1/applysets/NAME/attempts}: a git sync records an attempt that never reached
 * an apply (the repository could not be read, or a commit has no manifest set at its path), so the
 * set's status shows it beside what stays in force. 200 with the set's record.
 */
final class AttemptRoute {
    private static final int MAX_ERROR_CHARS = 1024;

    private final ApplySetRecords records;

    AttemptRoute(ApplySetRecords records) {
        this.records = records;
    }

    void record(Context ctx) {
        String set = ctx.pathParam("name");
        if (!DnsLabel.isValid(set)) {
            throw ApiError.badRequest("apply set name: expected " + DnsLabel.RULE + ", got \"" + set + "\"");
        }
        FailedAttempt attempt = ResourceJson.decodeMessage(ctx.bodyAsBytes(), FailedAttempt.class);
        if (attempt == null || attempt.outcome() == null) {
            throw ApiError.badRequest("expected {\"source\", \"outcome\", \"message\", \"errors\"} in the request body");
        }
        if (attempt.outcome() != ApplySet.Outcome.Failed && attempt.outcome() != ApplySet.Outcome.Invalid) {
            throw ApiError.badRequest("outcome: expected Failed or Invalid, got " + attempt.outcome()
                    + ": an apply records its other outcomes itself");
        }
        records.recordFailure(set, attempt.source(), attempt.outcome(), bounded(attempt.message(), FailedAttempt.MAX_MESSAGE_CHARS),
                attempt.errors().stream().limit(FailedAttempt.MAX_ERRORS).map(e -> bounded(e, MAX_ERROR_CHARS)).toList());
        JsonBody.write(ctx, 200, records.get(set).orElseThrow());
    }

    private static String bounded(String text, int maxChars) {
        if (text == null) {
            return "";
        }
        return text.length() > maxChars ? text.substring(0, maxChars) + "..." : text;
    }
}
