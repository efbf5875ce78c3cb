package dev.payproc.gateway;

import io.vertx.core.net.KeyCertOptions;

/**
 * What the listeners need to know: ports and addresses, TLS material (null {@code tlsPort}: no TLS listener; null
 * {@code tlsClientCaPath}: no client certificates asked for), body limits and deadline, and the benchmark switch.
 */
public record GatewaySettings(
        int port,
        String plainHost,
        Integer tlsPort,
        KeyCertOptions tlsKeyCert,
        String tlsClientCaPath,
        int bodyLimitBytes,
        int batchBodyLimitBytes,
        int bodyTimeoutMillis,
        boolean benchCeiling) {}
