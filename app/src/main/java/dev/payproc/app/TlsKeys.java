package dev.payproc.app;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.logging.Logger;

/** The TLS listener's certificate and key. */
final class TlsKeys {
    private static final Logger LOG = Logger.getLogger(TlsKeys.class.getName());

    private TlsKeys() {}

    /** The configured PEM certificate and key, or a self-signed one for local runs. */
    static KeyCertOptions keyCert(ProcessorConfig config) {
        if (config.tlsCertPath() != null && config.tlsKeyPath() != null) {
            return new PemKeyCertOptions().setCertPath(config.tlsCertPath()).setKeyPath(config.tlsKeyPath());
        }
        LOG.warning("TLS_PORT set without TLS_CERT_PATH/TLS_KEY_PATH: serving a self-signed certificate for localhost");
        return SelfSignedCertificate.create("localhost").keyCertOptions();
    }
}
