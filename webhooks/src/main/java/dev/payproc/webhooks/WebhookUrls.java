package dev.payproc.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Which URLs an endpoint may have: https anywhere, or http only to this host's loopback (127.0.0.0/8, ::1,
 * localhost) for local receivers; no user info (credentials in a URL end up in logs), no fragment, bounded length.
 */
public final class WebhookUrls {
    public static final int MAX_LENGTH = 2048;

    private WebhookUrls() {}

    /** Why {@code url} is refused, as a sentence that does not echo it; null when it is allowed. */
    public static String refusal(String url) {
        if (url.isEmpty() || url.length() > MAX_LENGTH)
            return "url must be an absolute https URL of 1 to " + MAX_LENGTH + " characters";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "url is not a valid URL";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || uri.getRawAuthority() == null)
            return "url must be an absolute http(s) URL";
        if (uri.getRawUserInfo() != null) return "url must not carry a user name or password";
        if (uri.getRawFragment() != null) return "url must not have a fragment";
        String host = uri.getHost();
        if (host == null || host.isEmpty()) return "url must name a host";
        if (scheme.equals("https")) return null;
        if (scheme.equals("http")) {
            return isLoopback(host)
                    ? null
                    : "url must use https; plain http is allowed only to a loopback host (127.0.0.0/8, ::1, localhost)";
        }
        return "url must use https (or http to a loopback host)";
    }

    /** 127.0.0.0/8 written as four decimal numbers, [::1], or localhost: names resolved later prove nothing. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("[::1]")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }
}
