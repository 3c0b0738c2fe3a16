package io.tidepool.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SeriesTest {
    private static final long GIB = 1L << 30;

    @Test
    void keepsTheLargestSampleOfEachBucketAndTheCuInForce() {
        Series series = new Series(10, 6);
        series.allocated(100, 1);
        series.sample(101, 0.2, GIB);
        series.sample(105, 0.7, GIB / 2);
        series.sample(112, 0.1, GIB);

        Series.Columns columns = series.columns();
        assertThat(columns.startEpochSeconds()).containsExactly(100, 110);
        assertThat(columns.cu()).containsExactly(0.25, 0.25);
        assertThat(columns.load1()).containsExactly(0.7, 0.1);
        assertThat(columns.memoryUsedBytes()).containsExactly(GIB, GIB);
    }

    @Test
    void aBucketThatNoSampleReachedHasNoLoadButCarriesTheCu() {
        Series series = new Series(10, 6);
        series.allocated(0, 4);
        series.sample(0, 1.0, GIB);
        series.sample(30, 1.0, GIB);

        Series.Columns columns = series.columns();
        assertThat(columns.startEpochSeconds()).containsExactly(0, 10, 20, 30);
        assertThat(columns.cu()).containsExactly(1.0, 1.0, 1.0, 1.0);
        assertThat(columns.load1()).containsExactly(1.0, null, null, 1.0);
    }

    @Test
    void aBucketShowsTheLatestCuInIt() {
        Series series = new Series(10, 6);
        series.allocated(0, 1);
        series.allocated(5, 8);
        series.allocated(15, 8);
        series.allocated(16, 2);
        series.sample(25, 0.5, GIB);

        assertThat(series.columns().cu()).containsExactly(2.0, 0.5, 0.5);
    }

    @Test
    void theRingForgetsTheOldestBucketsAndAGapLongerThanItClearsIt() {
        Series series = new Series(10, 3);
        for (int second = 0; second < 50; second += 10) {
            series.sample(second, second / 100.0, GIB);
        }
        assertThat(series.columns().startEpochSeconds()).containsExactly(20, 30, 40);
        assertThat(series.columns().load1()).containsExactly(0.2, 0.3, 0.4);

        series.sample(1_000, 0.9, GIB);
        assertThat(series.columns().startEpochSeconds()).containsExactly(980, 990, 1000);
        assertThat(series.columns().load1()).containsExactly(null, null, 0.9);
    }

    @Test
    void aLateSampleLandsInItsBucketOrIsDroppedWhenTooOld() {
        Series series = new Series(10, 3);
        series.sample(0, 0.1, GIB);
        series.sample(30, 0.1, GIB);
        series.sample(15, 0.8, GIB);
        series.sample(1, 5.0, GIB);

        assertThat(series.columns().startEpochSeconds()).containsExactly(10, 20, 30);
        assertThat(series.columns().load1()).containsExactly(0.8, null, 0.1);
    }

    @Test
    void valuesBeyondSixteenBitsAreClampedNotWrapped() {
        Series series = new Series(10, 2);
        series.sample(0, 10_000, Long.MAX_VALUE);
        series.allocated(0, 1_000_000);

        assertThat(series.columns().load1()[0]).isEqualTo(Series.MAX_STORED / (double) Series.LOAD_STEPS_PER_VCPU);
        assertThat(series.columns().memoryUsedBytes()[0]).isEqualTo(Series.MAX_STORED * Series.MEMORY_UNIT_BYTES);
        assertThat(series.columns().cu()[0]).isEqualTo(Series.MAX_STORED / 4.0);
    }

    @Test
    void refusesAStepOrCapacityOfZero() {
        assertThatThrownBy(() -> new Series(0, 10)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
        assertThatThrownBy(() -> new Series(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** What a series must hold, computed the slow way: every write kept, then bucketed. */
    @Property(tries = 300)
    void holdsWhatANaiveBucketingOfEveryWriteGives(@ForAll("writes") List<Write> writes,
                                                   @ForAll @IntRange(min = 1, max = 12) int capacity) {
        Series series = new Series(10, capacity);
        for (Write write : writes) {
            if (write.cuQuarters() >= 0) {
                series.allocated(write.second(), write.cuQuarters());
            } else {
                series.sample(write.second(), write.load1(), write.memoryBytes());
            }
        }
        Series.Columns columns = series.columns();

        List<Long> expectedTimes = new ArrayList<>();
        List<Double> expectedCu = new ArrayList<>();
        List<Double> expectedLoad = new ArrayList<>();
        if (!writes.isEmpty()) {
            long first = writes.get(0).second() / 10;
            long newest = writes.get(writes.size() - 1).second() / 10;
            Map<Long, Double> load = new TreeMap<>();
            for (Write write : writes) {
                if (write.cuQuarters() < 0) {
                    load.merge(write.second() / 10, Math.round(write.load1() * 100) / 100.0, Math::max);
                }
            }
            for (long bucket = Math.max(first, newest - capacity + 1); bucket <= newest; bucket++) {
                expectedTimes.add(bucket * 10);
                expectedCu.add(cuOf(writes, bucket));
                expectedLoad.add(load.get(bucket));
            }
        }
        assertThat(columns.startEpochSeconds()).containsExactly(expectedTimes.stream().mapToLong(Long::longValue).toArray());
        assertThat(columns.cu()).containsExactly(expectedCu.toArray(Double[]::new));
        assertThat(columns.load1()).containsExactly(expectedLoad.toArray(Double[]::new));
        assertThat(series.size()).isLessThanOrEqualTo(capacity);
    }

    /** The CU in force at the bucket's end. */
    private static Double cuOf(List<Write> writes, long bucket) {
        Double value = null;
        for (Write write : writes) {
            if (write.cuQuarters() < 0) {
                continue;
            }
            if (write.second() / 10 <= bucket) {
                value = write.cuQuarters() / 4.0;
            }
        }
        return value;
    }

    @Provide
    Arbitrary<List<Write>> writes() {
        Arbitrary<Write> write = Combinators.combine(
                Arbitraries.integers().between(0, 40),
                Arbitraries.integers().between(-1, 32),
                Arbitraries.doubles().between(0, 16).ofScale(3),
                Arbitraries.longs().between(0, 64 * GIB)).as((gap, cu, load, memory) -> new Write(gap, cu, load, memory));
        return write.list().ofMaxSize(60).map(SeriesTest::inTimeOrder);
    }

    private static List<Write> inTimeOrder(List<Write> gaps) {
        List<Write> ordered = new ArrayList<>();
        long second = 1_000;
        for (Write gap : gaps) {
            second += gap.second();
            ordered.add(new Write(second, gap.cuQuarters(), gap.load1(), gap.memoryBytes()));
        }
        return ordered;
    }

    /** A CU change when {@code cuQuarters >= 0}, else a sample. */
    record Write(long second, int cuQuarters, double load1, long memoryBytes) {
    }
}
