package io.tidepool.guest.cgroup;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A compute's cgroup on a v1 machine: a directory in the memory, cpu, cpuacct and freezer
 * hierarchies, and in the unified one when it is mounted (it adds pressure stall information).
 */
final class CgroupV1 implements ComputeCgroup {
    /** Room left above what cannot be reclaimed when a shrink stops at the floor. */
    static final long FLOOR_MARGIN_BYTES = 4L << 20;

    private final String name;
    private final Path memory;
    private final Path cpu;
    private final Path cpuacct;
    private final Optional<Path> freezer;
    private final Optional<Path> unified;

    CgroupV1(String name, Path memory, Path cpu, Path cpuacct, Optional<Path> freezer, Optional<Path> unified) {
        this.name = name;
        this.memory = memory;
        this.cpu = cpu;
        this.cpuacct = cpuacct;
        this.freezer = freezer;
        this.unified = unified;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CgroupLayout.Version version() {
        return CgroupLayout.Version.V1;
    }

    @Override
    public void create() throws IOException {
        for (Path dir : dirs()) {
            CgroupFiles.mkdirs(dir);
        }
        CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
    }

    @Override
    public List<Path> procsFiles() {
        return dirs().stream().map(dir -> dir.resolve("cgroup.procs")).toList();
    }

    @Override
    public void limitCpu(MilliCpu size) throws IOException {
        CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), Long.toString(ComputeCgroup.quotaMicros(size)));
        CgroupFiles.write(cpu.resolve("cpu.shares"), Long.toString(ComputeCgroup.shares(size)));
    }

    @Override
    public MilliCpu cpuLimit() throws IOException {
        long quota = CgroupFiles.readLong(cpu.resolve("cpu.cfs_quota_us"));
        long period = CgroupFiles.readLong(cpu.resolve("cpu.cfs_period_us"));
        return quota < 0 ? null : ComputeCgroup.cpuOf(quota, period);
    }

    @Override
    public MemoryLimit limitMemory(Bytes limit) throws IOException {
        Path file = memory.resolve("memory.limit_in_bytes");
        try {
            CgroupFiles.write(file, Long.toString(limit.value()));
        } catch (CgroupFiles.CgroupWriteException e) {
            if (!e.busy()) {
                throw e;
            }
            // The kernel reclaimed all the page cache it could and the rest does not fit: stop just above it.
            long floor = CgroupFiles.roundUpToPage(memoryUsage().value() + FLOOR_MARGIN_BYTES);
            if (floor < memoryLimit().value()) {
                try {
                    CgroupFiles.write(file, Long.toString(floor));
                } catch (CgroupFiles.CgroupWriteException again) {
                    if (!again.busy()) {
                        throw again;
                    }
                }
            }
        }
        return new MemoryLimit(limit, memoryLimit(), memoryUsage());
    }

    @Override
    public Bytes memoryLimit() throws IOException {
        return new Bytes(CgroupFiles.readLong(memory.resolve("memory.limit_in_bytes")));
    }

    @Override
    public Bytes memoryUsage() throws IOException {
        return new Bytes(CgroupFiles.readLong(memoryUsageFile()));
    }

    @Override
    public Path memoryUsageFile() {
        return memory.resolve("memory.usage_in_bytes");
    }

    @Override
    public Path memoryLimitFile() {
        return memory.resolve("memory.limit_in_bytes");
    }

    @Override
    public Path memoryStatFile() {
        return memory.resolve("memory.stat");
    }

    @Override
    public MemoryBreakdown memoryBreakdown() throws IOException {
        Map<String, Long> stat = CgroupFiles.readKeys(memoryStatFile());
        return new MemoryBreakdown(memoryUsage().value(), stat.getOrDefault("total_cache", 0L),
                stat.getOrDefault("total_shmem", 0L), stat.getOrDefault("total_active_file", 0L));
    }

    @Override
    public long cpuUsageNanos() throws IOException {
        return CgroupFiles.readLong(cpuacct.resolve("cpuacct.usage"));
    }

    @Override
    public boolean canHoldAtLimit() {
        return true;
    }

    @Override
    public void holdTasksAtLimit(boolean hold) throws IOException {
        CgroupFiles.write(memory.resolve("memory.oom_control"), hold ? "1" : "0");
    }

    @Override
    public boolean underOom() throws IOException {
        return CgroupFiles.readKey(memory.resolve("memory.oom_control"), "under_oom") == 1;
    }

    @Override
    public long oomKills() throws IOException {
        return CgroupFiles.readKey(memory.resolve("memory.oom_control"), "oom_kill");
    }

    @Override
    public void freeze() throws IOException {
        Path state = freezerDir().resolve("freezer.state");
        CgroupFiles.write(state, "FROZEN");
        Waiting.until(() -> CgroupFiles.read(state).equals("FROZEN"), "freezing " + name);
    }

    @Override
    public void thaw() throws IOException {
        Path state = freezerDir().resolve("freezer.state");
        CgroupFiles.write(state, "THAWED");
        Waiting.until(() -> CgroupFiles.read(state).equals("THAWED"), "thawing " + name);
    }

    @Override
    public boolean frozen() throws IOException {
        return freezer.isPresent() && CgroupFiles.read(freezerDir().resolve("freezer.state")).equals("FROZEN");
    }

    @Override
    public Set<Long> processes() throws IOException {
        Set<Long> pids = new LinkedHashSet<>();
        for (Path procs : procsFiles()) {
            if (Files.exists(procs)) {
                pids.addAll(CgroupFiles.pids(procs));
            }
        }
        return pids;
    }

    @Override
    public boolean remove() throws IOException {
        if (!processes().isEmpty()) {
            return false;
        }
        boolean removed = true;
        for (Path dir : dirs()) {
            removed &= CgroupFiles.rmdir(dir);
        }
        return removed;
    }

    private Path freezerDir() {
        return freezer.orElseThrow(() -> new IllegalStateException("the freezer controller is not mounted"));
    }

    /** Every directory of the cgroup, once each (cpu and cpuacct may share a hierarchy). */
    private List<Path> dirs() {
        Set<Path> dirs = new LinkedHashSet<>(List.of(memory, cpu, cpuacct));
        freezer.ifPresent(dirs::add);
        unified.ifPresent(dirs::add);
        return new ArrayList<>(dirs);
    }
}
