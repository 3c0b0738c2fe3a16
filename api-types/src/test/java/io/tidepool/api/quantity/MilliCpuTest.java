package io.tidepool.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class MilliCpuTest {

    @Test
    void parsesWholeCpusFractionsAndMillicpus() {
        assertThat(MilliCpu.parse("16")).isEqualTo(MilliCpu.ofCpus(16));
        assertThat(MilliCpu.parse("0.5")).isEqualTo(new MilliCpu(500));
        assertThat(MilliCpu.parse("500m")).isEqualTo(new MilliCpu(500));
    }

    @Test
    void writesWholeCpusAsANumberAndTheRestAsMillicpus() {
        assertThat(MilliCpu.ofCpus(16)).hasToString("16");
        assertThat(new MilliCpu(500)).hasToString("500m");
        assertThat(new MilliCpu(1500)).hasToString("1500m");
    }

    @Test
    void rejectsNegativeFractionalAndMalformedCpus() {
        assertThatThrownBy(() -> MilliCpu.parse("-1"))
                .hasMessage("expected CPUs as a number (16, 0.5) or millicpus (500m), got \"-1\"");
        assertThatThrownBy(() -> MilliCpu.parse("0.0005")).hasMessageContaining("got \"0.0005\"");
        assertThatThrownBy(() -> MilliCpu.parse("1.5m")).hasMessageContaining("got \"1.5m\"");
        assertThatThrownBy(() -> MilliCpu.parse("sixteen")).hasMessageContaining("got \"sixteen\"");
    }

    @Property
    void parsingWhatWasWrittenGivesTheSameCpus(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long millis) {
        MilliCpu cpu = new MilliCpu(millis);

        assertThat(MilliCpu.parse(cpu.toString())).isEqualTo(cpu);
    }
}
