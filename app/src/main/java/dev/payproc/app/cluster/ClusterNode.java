package dev.payproc.app.cluster;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.logging.Logger;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.configuration.parsing.ParserRegistry;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.JChannel;

/**
 * This process as a member of the cluster: an Infinispan cache manager on a JGroups TCP channel of its own
 * (built from {@code cluster/jgroups-tcp.xml} with this process's address and host list, so that several
 * processes, or several test nodes in one JVM, each have their own port), and the Vert.x clustered over it.
 */
public final class ClusterNode {
    private static final Logger LOG = Logger.getLogger(ClusterNode.class.getName());

    private final Vertx vertx;
    private final InfinispanClusterManager manager;
    private final DefaultCacheManager cacheManager;

    private ClusterNode(Vertx vertx, InfinispanClusterManager manager, DefaultCacheManager cacheManager) {
        this.vertx = vertx;
        this.manager = manager;
        this.cacheManager = cacheManager;
    }

    /**
     * Joins the cluster and builds the clustered Vert.x with {@code options}. The channel's start blocks (it
     * looks for members, seconds), so it runs on a thread of its own, never an event loop.
     */
    public static Future<ClusterNode> join(ClusterSettings settings, VertxOptions options) {
        long started = System.nanoTime();
        Promise<DefaultCacheManager> caches = Promise.promise();
        Thread t = new Thread(
                () -> {
                    try {
                        caches.complete(cacheManager(settings));
                    } catch (Exception e) {
                        caches.fail(e);
                    }
                },
                "cluster-join");
        t.setDaemon(true);
        t.start();
        return caches.future().compose(cm -> {
            InfinispanClusterManager manager = new InfinispanClusterManager(cm);
            options.getEventBusOptions().setHost(settings.bindHost()).setPort(0);
            return Vertx.builder()
                    .with(options)
                    .withClusterManager(manager)
                    .buildClustered()
                    .map(v -> {
                        LOG.info("joined the cluster as " + manager.getNodeId() + " on " + settings.bindHost() + ":"
                                + settings.port() + " in " + (System.nanoTime() - started) / 1_000_000
                                + " ms; members: "
                                + manager.getNodes());
                        return new ClusterNode(v, manager, cm);
                    })
                    .recover(e -> {
                        stopQuietly(cm);
                        return Future.failedFuture(e);
                    });
        });
    }

    private static DefaultCacheManager cacheManager(ClusterSettings settings) throws Exception {
        String stack = resource("cluster/jgroups-tcp.xml")
                .replace("@BIND_HOST@", settings.bindHost())
                .replace("@BIND_PORT@", Integer.toString(settings.port()))
                .replace("@INITIAL_HOSTS@", settings.initialHosts());
        JChannel channel = new JChannel(new ByteArrayInputStream(stack.getBytes(StandardCharsets.UTF_8)));
        URL config = ClusterNode.class.getClassLoader().getResource("cluster/infinispan.xml");
        ConfigurationBuilderHolder holder = new ParserRegistry().parse(config);
        holder.getGlobalConfigurationBuilder().transport().transport(new JGroupsTransport(channel));
        return new DefaultCacheManager(holder, true);
    }

    private static String resource(String name) {
        try (InputStream in = ClusterNode.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException("missing resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stopQuietly(DefaultCacheManager cm) {
        try {
            cm.stop();
        } catch (RuntimeException e) {
            LOG.warning("stopping the cache manager: " + e);
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public InfinispanClusterManager manager() {
        return manager;
    }

    public String nodeId() {
        return manager.getNodeId();
    }

    /**
     * Leaves: after Vert.x has closed (which leaves the cluster manager), stops the cache manager, which the
     * cluster manager does not own, on a thread of its own (it blocks while the view changes).
     */
    public Future<Void> leave() {
        Promise<Void> done = Promise.promise();
        Thread t = new Thread(
                () -> {
                    stopQuietly(cacheManager);
                    done.complete();
                },
                "cluster-leave");
        t.setDaemon(true);
        t.start();
        return done.future();
    }
}
