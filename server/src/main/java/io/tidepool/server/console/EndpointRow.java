package io.tidepool.server.console;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Endpoint;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * What the console lists of an endpoint: a few fields, not the whole object, so that the index of
 * 100,000 endpoints costs a few tens of megabytes on every node.
 *
 * @param cu             CU now applied; null before the first placement
 * @param lastDecision   the autoscaler's latest explanation; null before its first decision
 * @param lastDecisionAt when it was made
 */
public record EndpointRow(String name, String cell, Endpoint.Phase phase, String host, Cu cu, Cu minCu, Cu maxCu,
                          String postgres, String lastDecision, Instant lastDecisionAt) {

    /** @param canonical gives one shared copy of a name that many rows repeat (cells, hosts) */
    static EndpointRow of(Endpoint endpoint, UnaryOperator<String> canonical) {
        Endpoint.Status s = endpoint.status();
        Endpoint.Decision decision = s == null ? null : s.lastDecision();
        Endpoint.ComputeRange range = endpoint.spec().compute();
        return new EndpointRow(endpoint.name(), canonical.apply(endpoint.spec().cell()),
                s == null || s.phase() == null ? Endpoint.Phase.Pending : s.phase(),
                s == null ? null : canonical.apply(s.host()), s == null ? null : s.cu(),
                range == null ? null : range.minCu(), range == null ? null : range.maxCu(),
                canonical.apply(endpoint.spec().postgres().version()),
                decision == null ? null : decision.explanation(), decision == null ? null : decision.at());
    }
}
