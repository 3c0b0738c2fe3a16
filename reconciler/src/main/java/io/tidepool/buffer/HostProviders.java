package io.tidepool.buffer;

import io.tidepool.api.resource.Cell;
import java.util.Optional;

/**
 * Which provider makes the hosts of a cell. Empty for a cell whose hosts register themselves
 * ({@code provider: {type: static}}), and for any cell this control plane has no provider for:
 * such a cell gets its status rolled up, and nothing is asked of anyone.
 */
@FunctionalInterface
public interface HostProviders {

    Optional<HostProvider> forCell(Cell cell);

    /** No cell has a provider: every host registers itself. */
    static HostProviders none() {
        return cell -> Optional.empty();
    }

    /** {@code provider} makes the hosts of every cell whose spec says {@code provider: {type: simulated}}. */
    static HostProviders simulated(HostProvider provider) {
        return cell -> cell.spec().provider().type() == Cell.ProviderType.SIMULATED ? Optional.of(provider) : Optional.empty();
    }
}
