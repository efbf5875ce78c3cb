package dev.payproc.clustereval;

import com.hazelcast.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeListener;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One process of the evaluation: {@code EvalNode hz|ispn server} answers on the clustered event bus;
 * {@code EvalNode hz|ispn client N INFLIGHT} sends N authorization-sized requests (twice: the first warms up) with
 * INFLIGHT outstanding, prints throughput, latency percentiles and its CPU per request, then {@code READY <ms>} and
 * waits for the server to leave (the script kills it), printing when it noticed. Both managers join over loopback
 * TCP only (no multicast), as a cluster of hosts on one network would be configured.
 */
public final class EvalNode {
    private EvalNode() {}

    static ClusterManager manager(String kind) {
        if (kind.equals("hz")) {
            Config c = new Config();
            c.setProperty("hazelcast.logging.type", "none");
            c.getNetworkConfig().setPort(5701).setPortAutoIncrement(true);
            c.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
            c.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
            c.getNetworkConfig().getJoin().getAutoDetectionConfig().setEnabled(false);
            c.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).addMember("127.0.0.1:5701")
                    .addMember("127.0.0.1:5702");
            // The maps Vert.x keeps, as its own default-cluster.xml declares them.
            c.getMultiMapConfig("__vertx.subs").setBackupCount(1).setValueCollectionType("SET");
            c.getMapConfig("__vertx.haInfo").setBackupCount(1);
            c.getMapConfig("__vertx.nodeInfo").setBackupCount(1);
            return new HazelcastClusterManager(c);
        }
        System.setProperty("vertx.infinispan.config", "infinispan-loopback.xml"); // TCP + TCPPING, jgroups-loopback.xml
        return new InfinispanClusterManager();
    }

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        long t0 = System.nanoTime();
        ClusterManager cm = manager(kind);
        Vertx vertx = Vertx.builder().withClusterManager(cm).buildClustered().await(60, TimeUnit.SECONDS);
        System.out.printf("%s %s joined in %.2f s%n", kind, args[1], (System.nanoTime() - t0) / 1e9);
        if (args[1].equals("server")) {
            vertx.eventBus().<Buffer>consumer("echo", m -> m.reply(m.body()));
            Thread.sleep(Long.MAX_VALUE);
        }
        int n = Integer.parseInt(args[2]), inFlight = Integer.parseInt(args[3]);
        Buffer payload = Buffer.buffer(new byte[600]); // about an authorization request's size
        while (true) { // until the server's consumer is known here
            try {
                vertx.eventBus().request("echo", payload).await(2, TimeUnit.SECONDS);
                break;
            } catch (Exception e) {
                Thread.sleep(200);
            }
        }
        for (int round = 0; round < 2; round++) {
            long[] latency = new long[n];
            AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(1);
            long cpu0 = cpuNanos(), start = System.nanoTime();
            Runnable[] send = new Runnable[1];
            send[0] = () -> {
                int i = next.getAndIncrement();
                if (i >= n) return;
                long s = System.nanoTime();
                vertx.eventBus().request("echo", payload).onComplete(ar -> {
                    latency[i] = System.nanoTime() - s;
                    if (done.incrementAndGet() == n) all.countDown();
                    else send[0].run();
                });
            };
            vertx.runOnContext(v -> {
                for (int c = 0; c < inFlight; c++) send[0].run();
            });
            all.await();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicros = (cpuNanos() - cpu0) / 1e3 / n;
            Arrays.sort(latency);
            if (round == 1)
                System.out.printf(
                        "RESULT manager=%s requests=%d in_flight=%d throughput=%.0f p50=%.3f p99=%.3f p999=%.3f"
                                + " max=%.3f client_us=%.1f%n",
                        kind, n, inFlight, n / seconds, latency[n / 2] / 1e6, latency[(int) (n * 0.99)] / 1e6,
                        latency[(int) (n * 0.999)] / 1e6, latency[n - 1] / 1e6, cpuMicros);
        }
        cm.nodeListener(new NodeListener() {
            @Override
            public void nodeAdded(String id) {}

            @Override
            public void nodeLeft(String id) {
                System.out.println("LEFT " + System.currentTimeMillis());
                System.exit(0);
            }
        });
        System.out.println("READY " + System.currentTimeMillis());
        Thread.sleep(60_000);
        System.out.println("no leave noticed in 60 s");
        System.exit(1);
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
