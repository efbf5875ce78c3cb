package dev.payproc.gateway;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.List;

/**
 * The {@code TLS_PORT} listener: h2 negotiated by ALPN, TLS 1.2 and 1.3 only; with a client CA, mutual TLS: a
 * terminal must present a certificate that CA issued, or the handshake fails before any HTTP.
 */
final class TlsListener {
    private TlsListener() {}

    static HttpServerOptions serverOptions(HttpServerOptions base, KeyCertOptions keyCert, String clientCaPath) {
        HttpServerOptions o = new HttpServerOptions(base)
                .setSsl(true)
                .setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(keyCert);
        o.getEnabledSecureTransportProtocols().clear();
        o.addEnabledSecureTransportProtocol("TLSv1.2").addEnabledSecureTransportProtocol("TLSv1.3");
        if (clientCaPath != null)
            o.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCaPath));
        return o;
    }
}
