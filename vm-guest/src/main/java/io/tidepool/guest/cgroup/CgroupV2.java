package io.tidepool.guest.cgroup;

import io.tidepool.api.quantity.Bytes;
import io.tidepool.api.quantity.MilliCpu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compute's cgroup on a v2 machine: one directory in the unified hierarchy, whose parent enables
 * the cpu and memory controllers. Memory is bounded twice: {@code memory.high}, a little below the
 * size, where the kernel throttles and reclaims (which gives the guest agent time to ask for more),
 * and {@code memory.max}, the size, which the kernel never lets the cgroup pass.
 */
final class CgroupV2 implements ComputeCgroup {
    /** The share of the size kept between memory.high and memory.max. */
    static final int HIGH_HEADROOM_DIVISOR = 16;

    private final String name;
    private final Path dir;

    CgroupV2(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CgroupLayout.Version version() {
        return CgroupLayout.Version.V2;
    }

    @Override
    public void create() throws IOException {
        CgroupFiles.mkdirs(dir);
    }

    @Override
    public List<Path> procsFiles() {
        return List.of(dir.resolve("cgroup.procs"));
    }

    @Override
    public void limitCpu(MilliCpu size) throws IOException {
        CgroupFiles.write(dir.resolve("cpu.max"), ComputeCgroup.quotaMicros(size) + " " + CPU_PERIOD_MICROS);
        CgroupFiles.write(dir.resolve("cpu.weight"), Long.toString(ComputeCgroup.weight(size)));
    }

    @Override
    public MilliCpu cpuLimit() throws IOException {
        String[] max = CgroupFiles.read(dir.resolve("cpu.max")).split(" ");
        return max[0].equals("max") ? null : ComputeCgroup.cpuOf(Long.parseLong(max[0]), Long.parseLong(max[1]));
    }

    /**
     * Raising sets memory.max before memory.high; lowering sets memory.high first, which makes the
     * kernel reclaim down to it, and memory.max only as low as what is left then: unlike v1, a
     * memory.max below what cannot be reclaimed would have the kernel kill a process.
     */
    @Override
    public MemoryLimit limitMemory(Bytes limit) throws IOException {
        long target = limit.value();
        if (target >= memoryLimit().value()) {
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(target));
            CgroupFiles.write(dir.resolve("memory.high"), Long.toString(high(target)));
            return new MemoryLimit(limit, memoryLimit(), memoryUsage());
        }
        CgroupFiles.write(dir.resolve("memory.high"), Long.toString(high(target)));
        long usage = memoryUsage().value();
        long max = usage <= target ? target : CgroupFiles.roundUpToPage(usage + CgroupV1.FLOOR_MARGIN_BYTES);
        if (max < memoryLimit().value()) {
            CgroupFiles.write(dir.resolve("memory.max"), Long.toString(max));
        }
        if (max > target) {
            CgroupFiles.write(dir.resolve("memory.high"), Long.toString(high(memoryLimit().value())));
        }
        return new MemoryLimit(limit, memoryLimit(), memoryUsage());
    }

    @Override
    public Bytes memoryLimit() throws IOException {
        String max = CgroupFiles.read(dir.resolve("memory.max"));
        return new Bytes(max.equals("max") ? Long.MAX_VALUE : Long.parseLong(max));
    }

    @Override
    public Bytes memoryUsage() throws IOException {
        return new Bytes(CgroupFiles.readLong(memoryUsageFile()));
    }

    @Override
    public Path memoryUsageFile() {
        return dir.resolve("memory.current");
    }

    @Override
    public Path memoryLimitFile() {
        return dir.resolve("memory.max");
    }

    @Override
    public Path memoryStatFile() {
        return dir.resolve("memory.stat");
    }

    @Override
    public MemoryBreakdown memoryBreakdown() throws IOException {
        Map<String, Long> stat = CgroupFiles.readKeys(memoryStatFile());
        return new MemoryBreakdown(memoryUsage().value(), stat.getOrDefault("file", 0L),
                stat.getOrDefault("shmem", 0L), stat.getOrDefault("active_file", 0L));
    }

    @Override
    public long cpuUsageNanos() throws IOException {
        return CgroupFiles.readKey(dir.resolve("cpu.stat"), "usage_usec") * 1_000;
    }

    @Override
    public boolean canHoldAtLimit() {
        return false;
    }

    @Override
    public long throttlingFrom(long limitBytes) {
        return high(limitBytes);
    }

    @Override
    public void holdTasksAtLimit(boolean hold) {
        throw new UnsupportedOperationException("cgroup v2 has no oom_kill_disable: memory.high throttles tasks instead");
    }

    @Override
    public boolean underOom() {
        return false;
    }

    @Override
    public long oomKills() throws IOException {
        return CgroupFiles.readKey(dir.resolve("memory.events"), "oom_kill");
    }

    @Override
    public void freeze() throws IOException {
        CgroupFiles.write(dir.resolve("cgroup.freeze"), "1");
        Waiting.until(this::frozen, "freezing " + name);
    }

    @Override
    public void thaw() throws IOException {
        CgroupFiles.write(dir.resolve("cgroup.freeze"), "0");
        Waiting.until(() -> !frozen(), "thawing " + name);
    }

    @Override
    public boolean frozen() throws IOException {
        return CgroupFiles.readKey(dir.resolve("cgroup.events"), "frozen") == 1;
    }

    @Override
    public Set<Long> processes() throws IOException {
        Path procs = dir.resolve("cgroup.procs");
        return Files.exists(procs) ? CgroupFiles.pids(procs) : Set.of();
    }

    @Override
    public boolean remove() throws IOException {
        return processes().isEmpty() && CgroupFiles.rmdir(dir);
    }

    private static long high(long max) {
        return max - max / HIGH_HEADROOM_DIVISOR;
    }
}
