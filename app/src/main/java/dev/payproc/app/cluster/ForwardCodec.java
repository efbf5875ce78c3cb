package dev.payproc.app.cluster;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.AuthorizationCommand;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * The wire form of a forwarded authorization and of its answer on the clustered event bus: a version byte, then
 * fixed-width numbers and length-prefixed UTF-8 strings and byte arrays (-1 for null), in record order. Enums go by
 * name, so members built from different versions of an enum still agree. No JSON: the gateway already validated
 * and tokenized the request; the owner decides the same {@link Authorization}, with the same idempotency identity.
 */
public final class ForwardCodec {
    private static final byte VERSION = 1;

    private ForwardCodec() {}

    /** A decoded forwarded authorization: everything of an {@link AuthorizationCommand} but its clock and sink. */
    public record Forwarded(Authorization authorization, String idempotencyKey, byte[] requestHash) {}

    public static Buffer encode(AuthorizationCommand cmd) {
        Authorization a = cmd.authorization();
        CardOnFile c = a.card();
        Buffer b = Buffer.buffer(512).appendByte(VERSION);
        string(b, a.merchantId());
        string(b, a.terminalId());
        b.appendLong(a.amount());
        string(b, a.currency());
        string(b, c.token());
        string(b, c.fingerprint());
        string(b, c.masked());
        string(b, c.bin());
        string(b, c.expiry());
        bytes(b, c.panCiphertext());
        string(b, c.keyId());
        string(b, a.entryMode() == null ? null : a.entryMode().name());
        string(b, a.mcc());
        string(b, a.merchantCountry());
        string(
                b,
                a.cardholderVerification() == null
                        ? null
                        : a.cardholderVerification().name());
        string(b, a.capture() == null ? null : a.capture().name());
        string(b, cmd.idempotencyKey());
        bytes(b, cmd.requestHash());
        return b;
    }

    public static Forwarded decodeCommand(Buffer b) {
        Reader r = new Reader(b);
        String merchant = r.string();
        String terminal = r.string();
        long amount = r.longValue();
        String currency = r.string();
        CardOnFile card =
                new CardOnFile(r.string(), r.string(), r.string(), r.string(), r.string(), r.bytes(), r.string());
        String entry = r.string();
        String mcc = r.string();
        String country = r.string();
        String cvm = r.string();
        String capture = r.string();
        Authorization auth = new Authorization(
                merchant,
                terminal,
                amount,
                currency,
                card,
                entry == null ? null : EntryMode.valueOf(entry),
                mcc,
                country,
                cvm == null ? null : CardholderVerification.valueOf(cvm),
                capture == null ? null : CaptureMode.valueOf(capture));
        return new Forwarded(auth, r.string(), r.bytes());
    }

    public static Buffer encode(Reply reply) {
        Buffer b = Buffer.buffer(64 + reply.body().length() * 2).appendByte(VERSION);
        b.appendShort((short) reply.status());
        b.appendByte((byte) (reply.replayed() ? 1 : 0));
        b.appendInt(reply.retryAfterSeconds());
        string(b, reply.body());
        return b;
    }

    public static Reply decodeReply(Buffer b) {
        Reader r = new Reader(b);
        int status = r.buffer.getShort(r.at);
        boolean replayed = r.buffer.getByte(r.at + 2) == 1;
        int retryAfter = r.buffer.getInt(r.at + 3);
        r.at += 7;
        return new Reply(status, r.string(), replayed, retryAfter);
    }

    private static void string(Buffer b, String s) {
        bytes(b, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    private static void bytes(Buffer b, byte[] bytes) {
        if (bytes == null) {
            b.appendInt(-1);
        } else {
            b.appendInt(bytes.length).appendBytes(bytes);
        }
    }

    private static final class Reader {
        final Buffer buffer;
        int at;

        Reader(Buffer buffer) {
            this.buffer = buffer;
            byte version = buffer.getByte(0);
            if (version != VERSION) throw new IllegalArgumentException("forward codec version " + version);
            this.at = 1;
        }

        long longValue() {
            long v = buffer.getLong(at);
            at += 8;
            return v;
        }

        byte[] bytes() {
            int n = buffer.getInt(at);
            at += 4;
            if (n < 0) return null;
            byte[] out = buffer.getBytes(at, at + n);
            at += n;
            return out;
        }

        String string() {
            byte[] raw = bytes();
            return raw == null ? null : new String(raw, StandardCharsets.UTF_8);
        }
    }
}
