package io.tidepool.server.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Where the switch bench says the readers resumed: after their longest pause, not their first missed slot. */
class SwitchLoadTest {
    @Test
    void theResumeEndsTheLongestGapNotTheFirst() {
        long[] counts = {80, 0, 75, 60, 0, 0, 0, 0, 0, 3, 90, 0, 85};
        assertThat(SwitchLoad.endOfLongestGap(counts)).isEqualTo(9);
    }

    @Test
    void readersThatNeverPausedOrNeverResumedHaveNoResume() {
        assertThat(SwitchLoad.endOfLongestGap(new long[] {5, 6, 7})).isEqualTo(-1);
        assertThat(SwitchLoad.endOfLongestGap(new long[] {5, 0, 0})).as("a gap nothing follows").isEqualTo(-1);
        assertThat(SwitchLoad.endOfLongestGap(new long[] {})).isEqualTo(-1);
    }
}
