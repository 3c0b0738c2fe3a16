package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidepool.store.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RetiredDataTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    @Test
    void aRetiredDirectoryLeavesAtOnceAndIsDeletedAfterTheGrace() throws Exception {
        Path data = dataDirectory(root.resolve("endpoints/shop/pgdata"));
        try (RetiredData retired = new RetiredData(root, Duration.ofMillis(300))) {
            retired.retire(data);
            assertThat(data).doesNotExist();
            assertThat(retired.empty()).as("kept through the grace").isFalse();
            assertThat(retiredNames()).singleElement().asString().startsWith("pgdata-");
            Await.until(WAIT, "the retired directory deleted", retired::empty);
        }
        assertThat(root.resolve("endpoints/shop")).as("only what was retired goes").isDirectory();
    }

    @Test
    void whatAnEarlierProcessLeftRetiredIsDeletedAfterTheNextStart() throws Exception {
        try (RetiredData first = new RetiredData(root, Duration.ofHours(1))) {
            first.retire(dataDirectory(root.resolve("endpoints/shop/computes/shop-2")));
        }
        assertThat(retiredNames()).as("closing leaves what was not due").hasSize(1);
        try (RetiredData next = new RetiredData(root, Duration.ZERO)) {
            Await.until(WAIT, "the leftover deleted", next::empty);
        }
    }

    @Test
    void aDirectoryAnotherDriverDeletedMeanwhileIsGone() throws Exception {
        Path dir = dataDirectory(root.resolve("retired/pgdata-1"));
        assertThat(RetiredData.delete(dir)).isTrue();
        assertThat(dir).doesNotExist();
        assertThat(RetiredData.delete(dir)).as("drivers sharing a data root delete the same leftovers").isTrue();
    }

    @Test
    void retiringWhatIsNotThereDoesNothing() throws Exception {
        try (RetiredData retired = new RetiredData(root, Duration.ZERO)) {
            retired.retire(root.resolve("endpoints/nope/pgdata"));
            assertThat(retired.empty()).isTrue();
        }
    }

    private static Path dataDirectory(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("base/1"));
        Files.write(dir.resolve("base/1/16384"), new byte[64 * 1024]);
        Files.writeString(dir.resolve("PG_VERSION"), "15\n");
        return dir;
    }

    private List<String> retiredNames() throws IOException {
        try (Stream<Path> names = Files.list(root.resolve("retired"))) {
            return names.map(p -> p.getFileName().toString()).toList();
        }
    }
}
