package dev.payproc.gateway;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Locale;

/**
 * A listener that could not open its address: its message is one line for an operator that names the address and
 * why, e.g. {@code cannot listen on 0.0.0.0:8080: address already in use}.
 */
public final class ListenFailure extends RuntimeException {
    public ListenFailure(String host, int port, Throwable cause) {
        super("cannot listen on " + host + ":" + port + ": " + reason(cause), cause, false, false);
    }

    /**
     * Fails at once when {@code host:port} cannot be listened on now (another program holds it), so a start that
     * cannot serve ends before its migrations and risk-state rebuild. The real listen still reports the same way
     * if the port is taken in between. Port 0 (any free port) always passes.
     */
    public static void requireFree(String host, int port) {
        if (port == 0) return;
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the listeners bind: a closed connection's TIME_WAIT does not block
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException | RuntimeException e) {
            throw new ListenFailure(host, port, e);
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        if (m != null && m.contains("Address already in use")) return "address already in use";
        if (m == null || m.isBlank())
            return e instanceof BindException ? "cannot bind" : e.getClass().getSimpleName();
        int colon = m.lastIndexOf(": "); // Netty's native transport: "bind(..) failed: Address already in use"
        String tail = colon >= 0 ? m.substring(colon + 2) : m;
        return tail.isEmpty() ? m : tail.substring(0, 1).toLowerCase(Locale.ROOT) + tail.substring(1);
    }
}
