package dev.payproc.testkit;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;

/** How every test and load client speaks to the gateway's cleartext port: HTTP/2 with prior knowledge. */
public final class H2c {
    private H2c() {}

    /** Client options for h2c with prior knowledge (no HTTP/1.1 upgrade round trip); callers add host, port, windows. */
    public static HttpClientOptions priorKnowledge() {
        return new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false);
    }
}
