package io.tidepool.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.prewarm.PrewarmPlan.Load;
import io.tidepool.prewarm.PrewarmPlan.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrewarmPlanTest {

    @Test
    void rangesGoIntoBuffersWhileTheyFitAndTheRestIntoThePageCache() {
        PageRange first = new PageRange("shop", 1663, 1, Fork.main, 0, 9);
        PageRange second = new PageRange("shop", 1663, 2, Fork.main, 0, 9);
        PageRange third = new PageRange("shop", 1663, 3, Fork.main, 0, 9);

        List<Load> loads = PrewarmPlan.decide(new HotPages(List.of(first, second, third)), 14);

        assertThat(loads).containsExactly(
                new Load(first, Mode.buffer),
                new Load(new PageRange("shop", 1663, 2, Fork.main, 0, 3), Mode.buffer),
                new Load(new PageRange("shop", 1663, 2, Fork.main, 4, 9), Mode.read),
                new Load(third, Mode.read));
    }

    @Test
    void nothingHotNothingToLoad() {
        assertThat(PrewarmPlan.decide(HotPages.NONE, 16384)).isEmpty();
    }
}
