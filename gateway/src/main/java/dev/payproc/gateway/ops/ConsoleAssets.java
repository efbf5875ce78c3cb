package dev.payproc.gateway.ops;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The SRE console's files, read from the jar once at start: the page, its script and style under
 * {@code console/}, and the uPlot chart library from its WebJar. The page holds the admin key, so it may run
 * only its own scripts and may not be framed.
 */
public final class ConsoleAssets {
    private static final String WEBJAR = "META-INF/resources/webjars/uplot/";
    private static final String POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private record Asset(String contentType, Buffer body) {}

    private final Map<String, Asset> byPath;

    public ConsoleAssets() {
        String uplot = WEBJAR + webJarVersion() + "/dist/";
        Asset page = asset("console/index.html", "text/html; charset=utf-8");
        this.byPath = Map.of(
                "/console", page,
                "/console/", page,
                "/console/console.js", asset("console/console.js", "text/javascript; charset=utf-8"),
                "/console/console.css", asset("console/console.css", "text/css; charset=utf-8"),
                "/console/lib/uPlot.iife.min.js", asset(uplot + "uPlot.iife.min.js", "text/javascript; charset=utf-8"),
                "/console/lib/uPlot.min.css", asset(uplot + "uPlot.min.css", "text/css; charset=utf-8"));
    }

    public void serve(RoutingContext ctx) {
        Asset a = byPath.get(ctx.request().path());
        if (a == null) {
            ctx.next();
            return;
        }
        ctx.response()
                .putHeader("content-type", a.contentType())
                .putHeader("Content-Security-Policy", POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("Cache-Control", "no-cache")
                .end(a.body());
    }

    /** The WebJar's version, from its Maven metadata: the root pom pins it once. */
    private static String webJarVersion() {
        Properties p = new Properties();
        try (InputStream in = open("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static Asset asset(String resource, String contentType) {
        try (InputStream in = open(resource)) {
            return new Asset(contentType, Buffer.buffer(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) throw new IllegalStateException("console asset missing from the jar: " + resource);
        return in;
    }
}
