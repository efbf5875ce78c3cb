package dev.payproc.gateway;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SelfSignedCertificate;

import java.util.List;
import java.util.logging.Logger;

/**
 * TLS for the {@code TLS_PORT} listener: h2 negotiated by ALPN, TLS 1.2 and 1.3 only; with a client CA, mutual
 * TLS: a terminal must present a certificate that CA issued, or the handshake fails before any HTTP.
 */
final class Tls {
    private static final Logger LOG = Logger.getLogger(Tls.class.getName());

    private Tls() {}

    /** The configured PEM certificate and key, or a self-signed one for local runs. */
    static KeyCertOptions keyCert(ProcessorConfig config) {
        if (config.tlsCertPath() != null && config.tlsKeyPath() != null) {
            return new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath());
        }
        LOG.warning("TLS_PORT set without TLS_CERT_PATH/TLS_KEY_PATH: serving a self-signed certificate for localhost");
        return SelfSignedCertificate.create("localhost").keyCertOptions();
    }

    static HttpServerOptions serverOptions(HttpServerOptions base, KeyCertOptions keyCert, String clientCaPath) {
        HttpServerOptions o = new HttpServerOptions(base).setSsl(true).setUseAlpn(true)
                .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(keyCert);
        o.getEnabledSecureTransportProtocols().clear();
        o.addEnabledSecureTransportProtocol("TLSv1.2").addEnabledSecureTransportProtocol("TLSv1.3");
        if (clientCaPath != null) o.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertPath(clientCaPath));
        return o;
    }
}
