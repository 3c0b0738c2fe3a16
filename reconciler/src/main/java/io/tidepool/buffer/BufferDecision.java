package io.tidepool.buffer;

import io.tidepool.api.quantity.Cu;
import io.tidepool.api.resource.Condition;
import java.time.Duration;
import java.util.List;

/**
 * What the buffer of one cell should do now: ask the provider for hosts, or give empty ones back
 * (never both), what the cell reports, and why.
 *
 * @param hostsToRequest how many hosts of the cell's template to ask the provider for
 * @param hostsToRelease the empty hosts to give back, in order
 * @param spare          free room below the watermark on ready schedulable hosts, before this decision
 * @param conditions     the cell's buffer conditions ({@code BufferReady}, {@code ProviderReady})
 * @param explanation    one line for {@code describe}, e.g. "spare 6/16 CU: requesting 1 host of 64 CU (1 in flight)"
 * @param recheckAfter   when time alone changes the answer (a backoff or a cool-down ends); null when
 *                       only a change in the cell or an answer from the provider does
 */
public record BufferDecision(
        int hostsToRequest,
        List<String> hostsToRelease,
        Cu spare,
        List<Condition> conditions,
        String explanation,
        Duration recheckAfter) {

    public BufferDecision {
        hostsToRelease = List.copyOf(hostsToRelease);
        conditions = List.copyOf(conditions);
        if (hostsToRequest < 0) {
            throw new IllegalArgumentException("cannot request a negative number of hosts: " + hostsToRequest);
        }
        if (hostsToRequest > 0 && !hostsToRelease.isEmpty()) {
            throw new IllegalArgumentException("a buffer decision never requests and releases hosts together");
        }
    }
}
