package dev.payproc.gateway.ops;

import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/** JVM memory, garbage collection, threads and CPU, under the names Prometheus' JVM exporters use. */
final class JvmMetrics {
    private JvmMetrics() {}

    static void appendTo(PrometheusText out) {
        var memory = ManagementFactory.getMemoryMXBean();
        out.header("jvm_memory_used_bytes", "gauge", "Used JVM memory by area");
        out.sample(
                "jvm_memory_used_bytes",
                "area=\"heap\"",
                memory.getHeapMemoryUsage().getUsed());
        out.sample(
                "jvm_memory_used_bytes",
                "area=\"nonheap\"",
                memory.getNonHeapMemoryUsage().getUsed());
        out.header("jvm_memory_committed_bytes", "gauge", "Committed JVM memory by area");
        out.sample(
                "jvm_memory_committed_bytes",
                "area=\"heap\"",
                memory.getHeapMemoryUsage().getCommitted());
        out.sample(
                "jvm_memory_committed_bytes",
                "area=\"nonheap\"",
                memory.getNonHeapMemoryUsage().getCommitted());
        MemoryUsage heap = memory.getHeapMemoryUsage();
        out.gauge("jvm_memory_max_bytes", "Maximum heap", "area=\"heap\"", heap.getMax());
        out.gauge(
                "jvm_memory_used_after_gc_bytes",
                "Heap in use right after the latest garbage collection: what the"
                        + " process holds, without the garbage that used heap also counts",
                "area=\"heap\"",
                heapAfterLatestGc());
        // One summary family (count and sum per collector), as the JVM exporters have it: two "counter" families
        // named ..._count and ..._sum would break the summary shape and the counters' _total suffix.
        out.header("jvm_gc_collection_seconds", "summary", "Time spent in garbage collection by collector");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            String labels = "gc=\"" + gc.getName() + "\"";
            out.sample("jvm_gc_collection_seconds_count", labels, gc.getCollectionCount());
            out.sample("jvm_gc_collection_seconds_sum", labels, gc.getCollectionTime() / 1000.0);
        }
        out.gauge(
                "jvm_threads_current",
                "Live JVM threads",
                "",
                ManagementFactory.getThreadMXBean().getThreadCount());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            out.header("process_cpu_seconds_total", "counter", "CPU time used by this process");
            out.sample("process_cpu_seconds_total", "", os.getProcessCpuTime() / 1e9);
        }
    }

    /** The heap pools' usage after the most recent collection of any collector; 0 before the first one. */
    static long heapAfterLatestGc() {
        GcInfo latest = null;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            GcInfo info = gc instanceof com.sun.management.GarbageCollectorMXBean sun ? sun.getLastGcInfo() : null;
            if (info != null && (latest == null || info.getEndTime() > latest.getEndTime())) latest = info;
        }
        if (latest == null) return 0;
        long used = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage after = pool.getType() == MemoryType.HEAP
                    ? latest.getMemoryUsageAfterGc().get(pool.getName())
                    : null;
            if (after != null) used += after.getUsed();
        }
        return used;
    }
}
