package dev.payproc.bench.faults;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.util.AsciiString;

/**
 * What the {@link Flood} sends for request {@code i} of a phase: {@code POST /v1/authorizations} with headers from
 * one template (only the Idempotency-Key differs) and the body {@link Requests} makes for that key.
 */
record FloodRequests(Requests requests, int phase, AsciiString authority, AsciiString authorization) {
    static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");
    private static final AsciiString POST = AsciiString.cached("POST");
    private static final AsciiString HTTP = AsciiString.cached("http");
    private static final AsciiString PATH = AsciiString.cached("/v1/authorizations");
    private static final AsciiString AUTHORIZATION = AsciiString.cached("authorization");
    private static final AsciiString CONTENT_TYPE = AsciiString.cached("content-type");
    private static final AsciiString JSON = AsciiString.cached("application/json");

    static FloodRequests of(Requests requests, int phase, String host, int port, String apiKey) {
        return new FloodRequests(
                requests, phase, new AsciiString(host + ":" + port), new AsciiString("Bearer " + apiKey));
    }

    String key(long i) {
        return Requests.key(phase, i);
    }

    Http2Headers headers(String key) {
        return new DefaultHttp2Headers(false, 7)
                .method(POST)
                .scheme(HTTP)
                .authority(authority)
                .path(PATH)
                .add(AUTHORIZATION, authorization)
                .add(CONTENT_TYPE, JSON)
                .add(IDEMPOTENCY_KEY, key);
    }

    ByteBuf body(ByteBufAllocator alloc, long i) {
        ByteBuf buf = alloc.buffer(requests.bodySizeHint());
        requests.writeBody(buf, phase, i);
        return buf;
    }
}
