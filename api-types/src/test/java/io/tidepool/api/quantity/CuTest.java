package io.tidepool.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class CuTest {

    @Test
    void parsesDecimalQuarterSteps() {
        assertThat(Cu.parse("0.25")).isEqualTo(Cu.ofQuarters(1));
        assertThat(Cu.parse("1")).isEqualTo(Cu.ofWhole(1));
        assertThat(Cu.parse("2.5")).isEqualTo(Cu.ofQuarters(10));
        assertThat(Cu.parse("2.50")).isEqualTo(Cu.ofQuarters(10));
        assertThat(Cu.parse("1e1")).isEqualTo(Cu.ofWhole(10));
    }

    @Test
    void rejectsCuThatIsNotAMultipleOfAQuarter() {
        assertThatThrownBy(() -> Cu.parse("0.3")).hasMessage("expected a multiple of 0.25 CU, got 0.3");
        assertThatThrownBy(() -> Cu.parse("0.1")).hasMessage("expected a multiple of 0.25 CU, got 0.1");
    }

    @Test
    void rejectsNegativeAndNonNumericCu() {
        assertThatThrownBy(() -> Cu.parse("-1")).hasMessage("expected a CU of at least 0, got -1");
        assertThatThrownBy(() -> Cu.parse("two")).hasMessageContaining("got \"two\"");
    }

    @Test
    void refusesAbsurdlyLongNumbersBeforeParsingThem() {
        assertThatThrownBy(() -> Cu.parse("1".repeat(100_000))).hasMessageContaining("got 100000 characters");
        assertThatThrownBy(() -> Cu.parse("1e999999999")).hasMessageContaining("too large");
    }

    @Test
    void writesThePlainShortestDecimal() {
        assertThat(Cu.ofQuarters(1)).hasToString("0.25");
        assertThat(Cu.ofQuarters(8)).hasToString("2");
        assertThat(Cu.ofQuarters(10)).hasToString("2.5");
        assertThat(Cu.ofQuarters(40)).hasToString("10");
        assertThat(Cu.ZERO).hasToString("0");
    }

    @Test
    void sizesCpuAndMemoryByTheQuarter() {
        assertThat(Cu.ofQuarters(1).cpu()).isEqualTo(new MilliCpu(250));
        assertThat(Cu.ofQuarters(1).memory()).isEqualTo(Bytes.ofGibibytes(1));
        assertThat(Cu.fitting(MilliCpu.ofCpus(16), Bytes.ofGibibytes(32))).isEqualTo(Cu.ofWhole(8));
    }

    @Property
    void parsingWhatWasWrittenGivesTheSameCu(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long quarters) {
        Cu cu = Cu.ofQuarters(quarters);

        assertThat(Cu.parse(cu.toString())).isEqualTo(cu);
        assertThat(Cu.of(new BigDecimal(cu.toString()))).isEqualTo(cu);
    }
}
