package dev.payproc.testkit;

import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A terminal's view of the gateway: HTTP/2 with prior knowledge (or HTTP/1.1, or h2 over TLS). */
public final class H2Client implements AutoCloseable {
    public record Response(int status, MultiMap headers, String body, HttpVersion version) {
        public JsonObject json() {
            return new JsonObject(body);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private final Vertx vertx = Vertx.vertx();
    /** The last stream id of every HTTP/2 GOAWAY received, in order (the first per connection: Vert.x reports no more). */
    private final List<Integer> goAways = new CopyOnWriteArrayList<>();
    /** Netty's state of each HTTP/2 connection, which keeps the newest GOAWAY (Vert.x reports only the first). */
    private final List<Http2Connection> http2 = new CopyOnWriteArrayList<>();

    private final HttpClientAgent client;
    private final String host;
    private final int port;

    private H2Client(HttpClientOptions options, String host, int port) {
        this.client = vertx.httpClientBuilder()
                .with(options)
                .with(new PoolOptions().setHttp2MaxSize(1).setHttp1MaxSize(8))
                .withConnectHandler(c -> {
                    if (options.getProtocolVersion() == HttpVersion.HTTP_2)
                        c.goAwayHandler(g -> goAways.add(g.getLastStreamId()));
                    Http2ConnectionHandler h2 = c instanceof ConnectionBase base
                            ? base.channel().pipeline().get(Http2ConnectionHandler.class)
                            : null;
                    if (h2 != null) http2.add(h2.connection());
                })
                .build();
        this.host = host;
        this.port = port;
    }

    public static H2Client h2c(int port) {
        return new H2Client(H2c.priorKnowledge(), "127.0.0.1", port);
    }

    public static H2Client http11(int port) {
        return new H2Client(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1), "127.0.0.1", port);
    }

    public static H2Client h2Tls(int port) {
        return h2Tls(port, null);
    }

    /** h2 over TLS presenting {@code clientCert} (mutual TLS), or no certificate when null. */
    public static H2Client h2Tls(int port, KeyCertOptions clientCert) {
        return new H2Client(
                new HttpClientOptions()
                        .setProtocolVersion(HttpVersion.HTTP_2)
                        .setSsl(true)
                        .setUseAlpn(true)
                        .setTrustAll(true)
                        .setVerifyHost(false)
                        .setKeyCertOptions(clientCert),
                "localhost",
                port);
    }

    public Future<Response> sendAsync(HttpMethod method, String path, Map<String, String> headers, String body) {
        RequestOptions options = new RequestOptions()
                .setMethod(method)
                .setHost(host)
                .setPort(port)
                .setURI(path);
        headers.forEach(options::putHeader);
        return client.request(options).compose(req -> exchange(req, body == null ? null : Buffer.buffer(body)));
    }

    /**
     * Ends {@code req} with {@code body} (null for none) and reads its answer whole. The answer is asked for before the
     * request is ended, and its body in the callback that delivers it: an answer that comes before the request was
     * all sent (a 401 or 429 decided before the body was read) is otherwise delivered after its data went by, and
     * reads as an empty body ({@code send()} does that about once in 500 such exchanges).
     */
    public static Future<Response> exchange(HttpClientRequest req, Buffer body) {
        Future<Response> answer = req.response()
                .compose(res -> res.body()
                        .map(b -> new Response(res.statusCode(), res.headers(), b.toString(), res.version())));
        if (body == null) req.end();
        else req.end(body);
        return answer;
    }

    public Response send(HttpMethod method, String path, Map<String, String> headers, String body) {
        return Await.result(sendAsync(method, path, headers, body));
    }

    public Response get(String path, Map<String, String> headers) {
        return send(HttpMethod.GET, path, headers, null);
    }

    public List<Integer> goAways() {
        return goAways;
    }

    /** The last stream id named by the newest GOAWAY on each HTTP/2 connection that received one, in connect order. */
    public List<Integer> newestGoAways() {
        return http2.stream()
                .filter(Http2Connection::goAwayReceived)
                .map(c -> c.local().lastStreamKnownByPeer())
                .toList();
    }

    @Override
    public void close() {
        Await.result(client.close());
        Await.result(vertx.close());
    }
}
