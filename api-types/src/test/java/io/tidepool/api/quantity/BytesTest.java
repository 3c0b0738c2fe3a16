package io.tidepool.api.quantity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void parsesBinaryAndDecimalUnits() {
        assertThat(Bytes.parse("512Mi")).isEqualTo(Bytes.ofMebibytes(512));
        assertThat(Bytes.parse("64Gi")).isEqualTo(Bytes.ofGibibytes(64));
        assertThat(Bytes.parse("1Ti")).isEqualTo(Bytes.ofGibibytes(1024));
        assertThat(Bytes.parse("64G")).isEqualTo(new Bytes(64_000_000_000L));
        assertThat(Bytes.parse("1024")).isEqualTo(new Bytes(1024));
    }

    @Test
    void writesTheLargestBinaryUnitThatIsExact() {
        assertThat(Bytes.ofGibibytes(64)).hasToString("64Gi");
        assertThat(Bytes.ofMebibytes(1536)).hasToString("1536Mi");
        assertThat(new Bytes(1000)).hasToString("1000");
        assertThat(new Bytes(0)).hasToString("0");
    }

    @Test
    void suggestsTheBinaryUnitForMemoryWrittenAsGigabytes() {
        assertThatThrownBy(() -> Bytes.parse("64GB"))
                .hasMessage("expected memory like 512Mi, 64Gi or a number of bytes, got \"64GB\"; did you mean 64Gi?");
        assertThatThrownBy(() -> Bytes.parse("64gi")).hasMessageEndingWith("; did you mean 64Gi?");
        assertThatThrownBy(() -> Bytes.parse("512 MB")).hasMessageEndingWith("; did you mean 512Mi?");
    }

    @Test
    void suggestsWholeSmallerUnitsForFractionalMemory() {
        assertThatThrownBy(() -> Bytes.parse("1.5Gi")).hasMessageEndingWith("; did you mean 1536Mi?");
    }

    @Test
    void suggestsNothingWhenNothingIsClose() {
        assertThatThrownBy(() -> Bytes.parse("lots")).hasMessage("expected memory like 512Mi, 64Gi or a number of bytes, got \"lots\"");
        assertThatThrownBy(() -> Bytes.parse("-1Gi")).hasMessageNotContaining("did you mean");
    }

    @Test
    void rejectsMemoryTooLargeToCount() {
        assertThatThrownBy(() -> Bytes.parse("9999999Pi")).hasMessage("memory value too large: \"9999999Pi\"");
    }

    @Property
    void parsingWhatWasWrittenGivesTheSameMemory(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
        Bytes memory = new Bytes(value);

        assertThat(Bytes.parse(memory.toString())).isEqualTo(memory);
    }
}
