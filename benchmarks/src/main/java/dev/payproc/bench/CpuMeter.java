package dev.payproc.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;

/**
 * Who used the CPU during a measurement: this JVM, the server (by pid), every PostgreSQL process (all databases,
 * other users' too) and the whole box, from /proc. The load generator and the server share two cores, so a figure
 * means little without this split. A process that exits mid-measurement takes its share with it: the PostgreSQL
 * figure is a lower bound. Off Linux only this JVM's own CPU is known.
 */
public final class CpuMeter {
    private static final int CORES = Runtime.getRuntime().availableProcessors();
    private static final Path PROC = Path.of("/proc");

    /**
     * CPU seconds over {@code wallSeconds}; {@code selfJit} and {@code serverJit} are the parts spent by the JIT
     * compiler threads (busy long after a short warm-up on a shared box, and competing for the same cores);
     * {@code server} is NaN without a pid, {@code boxCores} NaN without /proc.
     */
    public record Use(
            double wallSeconds,
            double self,
            double selfJit,
            double server,
            double serverJit,
            double postgres,
            double boxCores) {
        /** Cores busy with anything else: other users' work on the shared box. */
        public double otherCores() {
            return boxCores - (self + (Double.isNaN(server) ? 0 : server) + postgres) / wallSeconds;
        }

        public String line(String who, double cpuSeconds, long operations, String perWhat) {
            return String.format(
                    Locale.ROOT,
                    "%-28s %7.2f s = %4.0f%% of one core, %6.1f µs per %s",
                    who,
                    cpuSeconds,
                    100 * cpuSeconds / wallSeconds,
                    operations == 0 ? 0 : cpuSeconds * 1e6 / operations,
                    perWhat);
        }

        public String box() {
            return String.format(
                    Locale.ROOT,
                    "whole box %.2f of %d cores busy; everything else (other users) %.2f cores",
                    boxCores,
                    CORES,
                    otherCores());
        }
    }

    private final String serverPid;
    private final Map<String, Double> server0;
    private final Map<String, Double> postgres0;
    private final long[] box0;
    private final long self0;
    private final Map<String, Double> jit0;
    private final Map<String, Double> serverJit0;
    private final long start;

    public CpuMeter(String serverPid) {
        this.serverPid = serverPid;
        this.server0 = cpu(PROC, this::isServer);
        this.postgres0 = cpu(PROC, CpuMeter::isPostgres);
        this.box0 = boxTicks();
        this.self0 = selfNanos();
        this.jit0 = jitCpu("self");
        this.serverJit0 = jitCpu(serverPid);
        this.start = System.nanoTime(); // last: scanning /proc is not part of the measurement
    }

    public Use stop() {
        double wall = (System.nanoTime() - start) / 1e9;
        double self = (selfNanos() - self0) / 1e9;
        double jit = delta(jit0, jitCpu("self"));
        double serverJit = serverPid == null ? Double.NaN : delta(serverJit0, jitCpu(serverPid));
        double server = serverPid == null ? Double.NaN : delta(server0, cpu(PROC, this::isServer));
        double postgres = delta(postgres0, cpu(PROC, CpuMeter::isPostgres));
        long[] box1 = boxTicks();
        double box = box0 == null || box1 == null || box1[0] <= box0[0]
                ? Double.NaN
                : (double) (box1[0] - box0[0] - (box1[1] - box0[1])) / (box1[0] - box0[0]) * CORES;
        return new Use(wall, self, jit, server, serverJit, postgres, box);
    }

    private boolean isServer(String pid, String stat) {
        return pid.equals(serverPid);
    }

    private static boolean isPostgres(String pid, String stat) {
        return stat.contains("(postgres)");
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after) {
        double sum = 0;
        for (Map.Entry<String, Double> e : after.entrySet()) sum += e.getValue() - before.getOrDefault(e.getKey(), 0.0);
        return sum;
    }

    private static long selfNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU seconds the JIT compiler threads of this JVM and of {@code serverPid} (may be null) have used so far. */
    static double compilerSeconds(String serverPid) {
        return delta(Map.of(), jitCpu("self")) + delta(Map.of(), jitCpu(serverPid));
    }

    /** The C1/C2 compiler threads of a JVM ("self": this one). */
    private static Map<String, Double> jitCpu(String pid) {
        return pid == null
                ? Map.of()
                : cpu(PROC.resolve(pid).resolve("task"), (tid, stat) -> stat.contains(" CompilerThre"));
    }

    /** utime + stime in seconds (USER_HZ is 100 on Linux) of every process (or thread) whose stat matches. */
    private static Map<String, Double> cpu(Path procDir, BiPredicate<String, String> which) {
        Map<String, Double> cpu = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procDir, "[0-9]*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString();
                try {
                    String stat = Files.readString(dir.resolve("stat"));
                    if (!which.test(pid, stat)) continue;
                    String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" "); // after "pid (comm) "
                    cpu.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0);
                } catch (IOException | RuntimeException e) { // the process ended meanwhile
                }
            }
        } catch (IOException e) { // no /proc: not Linux
        }
        return cpu;
    }

    /** Total and idle (idle + iowait) jiffies of all CPUs, from the first line of /proc/stat. */
    private static long[] boxTicks() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < Math.min(f.length, 9); i++) total += Long.parseLong(f[i]); // user .. steal
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
