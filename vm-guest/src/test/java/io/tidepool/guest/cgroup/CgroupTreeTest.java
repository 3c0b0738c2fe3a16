package io.tidepool.guest.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A host's computes' cgroups as a new agent finds them: real cgroups, as root; skipped, saying why, without. */
@Timeout(60)
class CgroupTreeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static CgroupLayout layout;
    private CgroupTree tree;

    @BeforeAll
    static void needsCgroupsAsRoot() throws IOException {
        layout = CgroupLayout.detect();
        assumeTrue(layout.version() != CgroupLayout.Version.NONE, "needs cgroups with the cpu and memory controllers");
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups");
    }

    @BeforeEach
    void makeTree() throws IOException {
        tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        tree.prepare();
    }

    @AfterEach
    void removeTree() throws IOException {
        tree.clear(WAIT);
        Await.until(WAIT, "the test's cgroups removed", () -> {
            try {
                return tree.removeParent();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void clearingKillsWhatADeadAgentLeftAndReturnsOnceInitHasReapedIt() throws Exception {
        ComputeCgroup left = tree.compute("wiki-1");
        left.create();
        // The shell exits at once: its sleep lives on as an orphan of init, as a dead agent's postmaster does.
        Process shell = new ProcessBuilder(left.joiningCommand(List.of("/bin/sh", "-c", "sleep 600 >/dev/null 2>&1 & echo $!")))
                .redirectErrorStream(true).start();
        long orphan = Long.parseLong(new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
        shell.waitFor();
        assertThat(left.processes()).containsExactly(orphan);

        assertThat(tree.clear(WAIT)).containsExactly("wiki-1");

        assertThat(Path.of("/proc", Long.toString(orphan))).as("the orphan, reaped").doesNotExist();
        assertThat(tree.existing()).isEmpty();
    }
}
