package dev.payproc.app.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Cluster mode (issue 19), on when {@code CLUSTER_HOSTS} is set: the processor's Vert.x is clustered with the
 * Infinispan cluster manager over JGroups TCP, joining through a static list of members ({@code TCPPING}).
 * {@code bindHost}/{@code port} are this process's JGroups address; {@code hosts} the {@code host:port} list it
 * looks for peers on (itself may be in it); {@code forwardTimeoutMillis} bounds a forwarded authorization's wait.
 */
public record ClusterSettings(String bindHost, int port, List<String> hosts, int forwardTimeoutMillis) {
    public static final int DEFAULT_PORT = 7800;

    public ClusterSettings {
        hosts = List.copyOf(hosts);
    }

    /** The settings from the environment, or null when {@code CLUSTER_HOSTS} is unset: one process, as before. */
    public static ClusterSettings fromEnv(Map<String, String> env) {
        String list = env.get("CLUSTER_HOSTS");
        if (list == null || list.isBlank()) return null;
        List<String> hosts = new ArrayList<>();
        for (String h : list.split(",")) {
            String host = h.trim();
            if (host.isEmpty()) continue;
            int colon = host.lastIndexOf(':');
            if (colon <= 0 || !validPort(host.substring(colon + 1)))
                throw new IllegalArgumentException(
                        "CLUSTER_HOSTS must be host:port entries separated by commas, got '" + host + "'");
            hosts.add(host);
        }
        if (hosts.isEmpty()) throw new IllegalArgumentException("CLUSTER_HOSTS names no host:port");
        String bind = env.getOrDefault("CLUSTER_BIND_HOST", "127.0.0.1").trim();
        String portText =
                env.getOrDefault("CLUSTER_PORT", Integer.toString(DEFAULT_PORT)).trim();
        if (!validPort(portText))
            throw new IllegalArgumentException("CLUSTER_PORT must be a port number, got '" + portText + "'");
        String timeout = env.getOrDefault("CLUSTER_FORWARD_TIMEOUT_MS", "2000").trim();
        int timeoutMillis;
        try {
            timeoutMillis = Integer.parseInt(timeout);
        } catch (NumberFormatException e) {
            timeoutMillis = -1;
        }
        if (timeoutMillis < 1)
            throw new IllegalArgumentException(
                    "CLUSTER_FORWARD_TIMEOUT_MS must be a positive integer, got '" + timeout + "'");
        return new ClusterSettings(bind, Integer.parseInt(portText), hosts, timeoutMillis);
    }

    private static boolean validPort(String s) {
        try {
            int p = Integer.parseInt(s);
            return p > 0 && p < 65536;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** TCPPING's {@code initial_hosts}: {@code host[port],host[port]}. */
    public String initialHosts() {
        StringBuilder b = new StringBuilder();
        for (String h : hosts) {
            int colon = h.lastIndexOf(':');
            if (b.length() > 0) b.append(',');
            b.append(h, 0, colon).append('[').append(h.substring(colon + 1)).append(']');
        }
        return b.toString();
    }
}
