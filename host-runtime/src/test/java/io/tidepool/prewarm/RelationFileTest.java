package io.tidepool.prewarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RelationFileTest {

    @Test
    void readsTheDatabaseFileNodeForkAndSegmentOfARelationFile() {
        assertThat(RelationFile.parse(Path.of("base/16384/16390"))).contains(new RelationFile(16384, 1663, 16390, Fork.main, 0));
        assertThat(RelationFile.parse(Path.of("base/16384/16390_fsm"))).contains(new RelationFile(16384, 1663, 16390, Fork.fsm, 0));
        assertThat(RelationFile.parse(Path.of("base/5/2619_vm.2"))).contains(new RelationFile(5, 1663, 2619, Fork.vm, 2));
        assertThat(RelationFile.parse(Path.of("pg_tblspc/16400/PG_15_202209061/16384/16401.1")))
                .contains(new RelationFile(16384, 16400, 16401, Fork.main, 1));
    }

    @Test
    void otherFilesAreNoRelationFiles() {
        for (String other : List.of("base/16384/PG_VERSION", "base/16384/pg_filenode.map", "base/16384/t3_16390",
                "global/1262", "pg_wal/000000010000000000000001", "base/pgsql_tmp/pgsql_tmp123.0", "base/16384/16390_xyz",
                "base/16384/016390", "pg_tblspc/16400/16384/16401")) {
            assertThat(RelationFile.parse(Path.of(other))).as(other).isEmpty();
        }
    }

    @Test
    void aBlockIsResidentWhenAnyOfItsPagesIs() {
        RelationFile file = new RelationFile(16384, 1663, 16390, Fork.main, 0);
        // Eight 4 KiB pages, four blocks: block 0 whole, block 1 half, block 2 none, block 3 half.
        byte[] pages = {1, 1, 0, 1, 0, 0, 1, 0};

        assertThat(file.residentRanges("shop", pages, 4096)).containsExactly(
                new PageRange("shop", 1663, 16390, Fork.main, 0, 1), new PageRange("shop", 1663, 16390, Fork.main, 3, 3));
    }

    @Test
    void blocksOfALaterSegmentAreNumberedFromItsStart() {
        RelationFile second = new RelationFile(16384, 1663, 16390, Fork.main, 1);

        assertThat(second.residentRanges("shop", new byte[] {0, 0, 1, 1}, 4096))
                .containsExactly(new PageRange("shop", 1663, 16390, Fork.main, 131073, 131073));
    }

    @Test
    void onlyTheLowestBitSaysResident() {
        RelationFile file = new RelationFile(16384, 1663, 16390, Fork.main, 0);

        assertThat(file.residentRanges("shop", new byte[] {(byte) 0xfe, 2}, 4096)).isEmpty();
    }

    @Property(tries = 200)
    void aRelationFileIsReadBackFromItsPath(@ForAll("relationFiles") RelationFile file) {
        assertThat(RelationFile.parse(file.relativePath("PG_15_202209061"))).isEqualTo(Optional.of(file));
    }

    @Property(tries = 200)
    void rangesCoverExactlyTheBlocksWithAResidentPage(@ForAll @Size(max = 300) List<Boolean> resident) {
        byte[] pages = new byte[resident.size() - resident.size() % 2];
        for (int i = 0; i < pages.length; i++) {
            pages[i] = (byte) (resident.get(i) ? 1 : 0);
        }
        RelationFile file = new RelationFile(1, 1663, 2, Fork.main, 0);

        List<PageRange> ranges = file.residentRanges("db", pages, 4096);

        Set<Long> covered = new HashSet<>();
        for (PageRange range : ranges) {
            for (long block = range.firstBlock(); block <= range.lastBlock(); block++) {
                assertThat(covered.add(block)).as("block %d in one range only", block).isTrue();
            }
        }
        for (int block = 0; block < pages.length / 2; block++) {
            assertThat(covered.contains((long) block)).as("block %d", block).isEqualTo(pages[2 * block] == 1 || pages[2 * block + 1] == 1);
        }
        assertThat(RelationFile.residentBlocks(pages, 4096)).isEqualTo(covered.size());
        for (int i = 1; i < ranges.size(); i++) {
            assertThat(ranges.get(i).firstBlock()).as("ranges apart, in order").isGreaterThan(ranges.get(i - 1).lastBlock() + 1);
        }
    }

    @Provide
    Arbitrary<RelationFile> relationFiles() {
        Arbitrary<Long> oids = Arbitraries.longs().between(1, 4_294_967_295L);
        Arbitrary<Long> tablespaces = Arbitraries.oneOf(Arbitraries.just(RelationFile.DEFAULT_TABLESPACE),
                Arbitraries.longs().between(16384, 4_294_967_295L));
        return Combinators.combine(oids, tablespaces, oids, Arbitraries.of(Fork.class), Arbitraries.longs().between(0, 32_767))
                .as(RelationFile::new);
    }
}
