package io.tidepool.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidepool.api.agent.UpscaleRequest;
import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.Cu;
import io.tidepool.guest.GuestAgent;
import io.tidepool.guest.cgroup.CgroupLayout;
import io.tidepool.guest.cgroup.CgroupTree;
import io.tidepool.guest.cgroup.ComputeCgroup;
import io.tidepool.guest.protocol.GuestMessage;
import io.tidepool.guest.protocol.MessageChannel;
import io.tidepool.store.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real guest agent watching a real cgroup v1, and its host end, with this test standing in for
 * the control plane: it raises the limit as each call for memory asks. Skipped, saying why, on a
 * machine without cgroup v1 as root (only v1 can hold tasks at the limit).
 */
class GuestConnectionsTest {
    private static final long MIB = 1L << 20;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static CgroupLayout layout;

    @TempDir
    Path scratch;
    private CgroupTree tree;
    private ComputeCgroup cgroup;
    private GuestConnections host;
    private GuestAgent guest;
    private final List<UpscaleRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void needsCgroupV1AsRoot() throws IOException {
        layout = CgroupLayout.detect();
        assumeTrue(layout.version() == CgroupLayout.Version.V1, "needs cgroup v1 (tasks held at the limit); this machine has "
                + layout.version());
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups");
    }

    @BeforeEach
    void start() throws IOException {
        tree = new CgroupTree(layout, "tidepool-test-" + UUID.randomUUID().toString().substring(0, 8));
        tree.prepare();
        cgroup = tree.compute("c1");
        cgroup.create();
        cgroup.limitMemory(new Bytes(64 * MIB));
        host = new GuestConnections(scratch.resolve("guests.sock"), (compute, request) -> {
            requests.add(request);
            raise(compute, request);
        });
    }

    @AfterEach
    void stop() throws Exception {
        if (guest != null) {
            guest.close();
        }
        host.close();
        cgroup.killAll();
        Await.until(WAIT, "every process of the cgroup gone", () -> read(() -> cgroup.processes().isEmpty()));
        for (Process process : processes) {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        cgroup.remove();
        tree.removeParent();
    }

    @Test
    void aTaskFillingMemoryWaitsAtTheLimitWhileTheGuestCallsForMoreAndFinishesOnceRaised() throws Exception {
        startGuest(host.admit("c1"));

        Process hog = start("perl", "-e", "my $x = 'a' x (200 * 1024 * 1024); print \"done\\n\";");

        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hog.exitValue()).as("the allocation completed").isZero();
        assertThat(Files.readString(scratch.resolve("out-0"))).contains("done");
        assertThat(cgroup.oomKills()).as("nothing was OOM-killed").isZero();
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.neededBytes()).isGreaterThan(64 * MIB));
        assertThat(cgroup.memoryLimit().value()).isGreaterThan(200 * MIB);
        assertThat(guest.reliefNanos()).as("each relief was timed").isNotEmpty();
    }

    @Test
    void aLimitLoweredUnderARunningGuestCountsAtItsNextReadingNotItsNextMetrics() throws Exception {
        cgroup.limitMemory(new Bytes(2048 * MIB));
        // Metrics once an hour: only the readings every 5 ms can see the lower limit.
        startGuest(host.admit("c1"), new GuestAgent.Settings(Duration.ofMillis(5), Duration.ofHours(1),
                Duration.ofMillis(200), GuestAgent.Settings.DEFAULT.pressure()));
        Await.until(WAIT, "the guest welcomed", () -> guest.welcomed());
        cgroup.limitMemory(new Bytes(64 * MIB)); // a downscale

        Process hog = start("perl", "-e", "my $x = 'a' x (200 * 1024 * 1024); print \"done\\n\";");

        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).as("the task finished").isTrue();
        assertThat(hog.exitValue()).as("the allocation completed").isZero();
        assertThat(requests).isNotEmpty().allSatisfy(r -> assertThat(r.neededBytes()).isGreaterThan(64 * MIB));
    }

    @Test
    void withoutAGuestTheSameTaskIsKilledByTheKernel() throws Exception {
        Process hog = start("perl", "-e", "my $x = 'a' x (200 * 1024 * 1024); print \"done\\n\";");

        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(hog.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(cgroup.oomKills()).isPositive();
        assertThat(requests).isEmpty();
    }

    @Test
    void theGuestRefusesADownscaleThatWouldNotFitAndAcceptsOneThatWould() throws Exception {
        cgroup.limitMemory(new Bytes(2048 * MIB));
        startGuest(host.admit("c1"));
        start("perl", "-e", "my $x = 'a' x (1000 * 1024 * 1024); sleep 600;");
        Await.until(WAIT, "1000 MiB charged", () -> read(() -> cgroup.memoryUsage().value() > 1000 * MIB));
        Await.until(WAIT, "the guest connected", () -> host.connected("c1"));

        Optional<String> refusal = host.askDownscale("c1", Cu.parse("0.25"), Duration.ofSeconds(5));
        Optional<String> agreement = host.askDownscale("c1", Cu.parse("0.5"), Duration.ofSeconds(5));

        assertThat(refusal).hasValueSatisfying(r -> assertThat(r).contains("does not fit 0.25 CU"));
        assertThat(agreement).as("1000 MiB fits 2 GiB with its margin").isEmpty();
    }

    @Test
    void aGuestWithAWrongTokenOrAnotherVersionIsTurnedAwayAndNoGuestMeansNoDownscale() throws Exception {
        host.admit("c1");

        assertThat(hello(new GuestMessage.Hello(GuestMessage.VERSION, "c1", "guessed"))).isEqualTo(
                new GuestMessage.Rejected("unknown compute or wrong token"));
        assertThat(hello(new GuestMessage.Hello(GuestMessage.VERSION + 1, "c1", "guessed"))).isEqualTo(
                new GuestMessage.Rejected("protocol version 2 is not spoken here; this host speaks version 1"));
        assertThat(host.connected("c1")).isFalse();
        assertThatThrownBy(() -> host.askDownscale("c1", Cu.QUARTER, Duration.ofSeconds(1)))
                .isInstanceOf(GuestConnections.GuestUnavailableException.class).hasMessageContaining("not connected");
    }

    @Test
    void aConnectedGuestSendsMetricsAndAnswersHealthChecks() throws Exception {
        startGuest(host.admit("c1"));
        start("perl", "-e", "my $x = 'a' x (16 * 1024 * 1024); sleep 600;");

        Await.until(WAIT, "metrics from the guest with the 16 MiB in use", () -> host.latestMetrics("c1")
                .filter(m -> m.memoryUsedBytes() >= 16 * MIB).isPresent());
        var heard = host.lastHeard("c1").orElseThrow();
        Await.until(WAIT, "a health reply", () -> {
            host.checkHealth("c1");
            return host.lastHeard("c1").orElseThrow().isAfter(heard);
        });
    }

    private void startGuest(String token) {
        startGuest(token, GuestAgent.Settings.DEFAULT);
    }

    private void startGuest(String token, GuestAgent.Settings settings) {
        guest = new GuestAgent("c1", token, cgroup, host.socket(), settings, Clock.systemUTC()).start();
    }

    /** What the control plane would grant: the memory asked for, rounded up to a MiB. */
    private void raise(String compute, UpscaleRequest request) {
        try {
            long limit = (request.neededBytes() + MIB - 1) / MIB * MIB;
            cgroup.limitMemory(new Bytes(limit));
            host.notifyUpscale(compute, limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private GuestMessage hello(GuestMessage.Hello hello) throws IOException {
        try (MessageChannel channel = MessageChannel.connect(host.socket())) {
            channel.send(hello);
            List<GuestMessage> answer = List.of();
            while (answer.isEmpty()) {
                answer = channel.receive();
            }
            return answer.get(0);
        }
    }

    private Process start(String... command) throws IOException {
        Process process = new ProcessBuilder(cgroup.joiningCommand(List.of(command)))
                .redirectErrorStream(true).redirectOutput(scratch.resolve("out-" + processes.size()).toFile()).start();
        processes.add(process);
        return process;
    }

    private interface Reading {
        boolean get() throws IOException;
    }

    private static boolean read(Reading reading) {
        try {
            return reading.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
