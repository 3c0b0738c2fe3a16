package io.tidepool.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TakeOverTest {
    private static final String CONTROL_DATA = """
            pg_control version number:            1300
            Database cluster state:               shut down
            Latest checkpoint location:           0/3000028
            Latest checkpoint's REDO location:    0/3000028
            """;

    @Test
    void readsTheStateAndLastCheckpointFromPgControldata() {
        assertThat(ControlData.parse(CONTROL_DATA)).contains(new ControlData("shut down", Lsn.parse("0/3000028")));
        assertThat(ControlData.parse("pg_control version number: 1300\n")).isEmpty();
    }

    @Test
    void lsnsReadAndPrintAsPostgresDoes() {
        assertThat(Lsn.parse("16/B374D848").value()).isEqualTo(0x16B374D848L);
        assertThat(Lsn.parse("16/B374D848")).hasToString("16/B374D848");
        assertThat(Lsn.parse("1/0").isAfter(Lsn.parse("0/FFFFFFFF"))).isTrue();
    }

    @Test
    void promotesAStandbyThatReceivedPastTheCleanShutdownCheckpoint() {
        TakeOver decision = TakeOver.decide(ControlData.parse(CONTROL_DATA), Optional.of(Lsn.parse("0/30000A0")));

        assertThat(decision).isInstanceOf(TakeOver.Promote.class);
    }

    @Test
    void startsOnTheOldDataWhenTheStandbyMissedTheEnd() {
        TakeOver decision = TakeOver.decide(ControlData.parse(CONTROL_DATA), Optional.of(Lsn.parse("0/3000028")));

        assertThat(decision).isInstanceOf(TakeOver.StartOnOldData.class);
        assertThat(((TakeOver.StartOnOldData) decision).why()).contains("not past the old primary's shutdown checkpoint at 0/3000028");
    }

    @Test
    void startsOnTheOldDataAfterAnUncleanShutdown() {
        TakeOver decision = TakeOver.decide(Optional.of(new ControlData("in production", Lsn.parse("0/3000028"))),
                Optional.of(Lsn.parse("9/0")));

        assertThat(decision).isInstanceOf(TakeOver.StartOnOldData.class);
    }

    @Test
    void refusesWhenTheOldDataCannotBeRead() {
        assertThat(TakeOver.decide(Optional.empty(), Optional.of(Lsn.parse("9/0")))).isInstanceOf(TakeOver.Refuse.class);
    }

    @Property
    void promotesOnlyPastACleanShutdownCheckpoint(@ForAll @LongRange(min = 0, max = 1L << 40) long checkpoint,
                                                  @ForAll @LongRange(min = 0, max = 1L << 40) long received,
                                                  @ForAll boolean clean) {
        TakeOver decision = TakeOver.decide(Optional.of(new ControlData(clean ? "shut down" : "in production", new Lsn(checkpoint))),
                Optional.of(new Lsn(received)));

        assertThat(decision instanceof TakeOver.Promote).isEqualTo(clean && received > checkpoint);
        assertThat(decision).isNotInstanceOf(TakeOver.Refuse.class);
    }
}
