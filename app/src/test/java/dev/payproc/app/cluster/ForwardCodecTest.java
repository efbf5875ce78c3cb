package dev.payproc.app.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.payproc.core.model.Authorization;
import dev.payproc.core.model.CaptureMode;
import dev.payproc.core.model.CardOnFile;
import dev.payproc.core.model.CardholderVerification;
import dev.payproc.core.model.EntryMode;
import dev.payproc.core.model.Reply;
import dev.payproc.core.pipeline.AuthorizationCommand;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** A forwarded authorization and its answer cross the event bus unchanged. */
class ForwardCodecTest {
    @Test
    void anAuthorizationRoundTrips() {
        for (byte[] cipher : new byte[][] {new byte[] {1, 2, 3, -1}, null}) {
            Authorization a = new Authorization(
                    "m-1001",
                    "t-ü",
                    1250,
                    "EUR",
                    new CardOnFile(
                            "tok_x",
                            "fp",
                            "411111******1111",
                            "41111111",
                            "12/30",
                            cipher,
                            cipher == null ? null : "k1"),
                    EntryMode.CONTACTLESS,
                    "5411",
                    "DE",
                    CardholderVerification.NONE,
                    CaptureMode.AUTO);
            AuthorizationCommand cmd = new AuthorizationCommand(a, "key-1", new byte[] {9, 8, 7}, 0, null);
            ForwardCodec.Forwarded f = ForwardCodec.decodeCommand(
                    Buffer.buffer(ForwardCodec.encode(cmd).getBytes()));
            assertEquals(a.merchantId(), f.authorization().merchantId());
            assertEquals(a.terminalId(), f.authorization().terminalId());
            assertEquals(a.amount(), f.authorization().amount());
            assertEquals(a.entryMode(), f.authorization().entryMode());
            assertEquals(a.capture(), f.authorization().capture());
            assertEquals(a.cardholderVerification(), f.authorization().cardholderVerification());
            assertEquals(a.mcc(), f.authorization().mcc());
            assertEquals(a.merchantCountry(), f.authorization().merchantCountry());
            CardOnFile c = f.authorization().card();
            assertEquals(a.card().token(), c.token());
            assertEquals(a.card().fingerprint(), c.fingerprint());
            assertEquals(a.card().masked(), c.masked());
            assertEquals(a.card().bin(), c.bin());
            assertEquals(a.card().expiry(), c.expiry());
            assertEquals(a.card().keyId(), c.keyId());
            assertArrayEquals(cipher, c.panCiphertext());
            assertEquals("key-1", f.idempotencyKey());
            assertArrayEquals(new byte[] {9, 8, 7}, f.requestHash());
        }
    }

    @Test
    void aReplyRoundTrips() {
        Reply r = new Reply(201, "{\"status\":\"APPROVED\",\"x\":\"é\"}", true, 0);
        assertEquals(r, ForwardCodec.decodeReply(ForwardCodec.encode(r)));
        Reply retry = ClusterRouter.NO_ANSWER;
        assertEquals(retry, ForwardCodec.decodeReply(ForwardCodec.encode(retry)));
    }
}
