package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaymentLifecycleTest {
    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");

    private static PaymentState manual(long amount) {
        return new PaymentState("APPROVED", amount, 0, 0, CaptureMode.MANUAL, 1);
    }

    private static PaymentState sale(long amount) {
        return new PaymentState("APPROVED", amount, amount, 0, CaptureMode.AUTO, 1);
    }

    private static PaymentLifecycle.Outcome apply(PaymentState s, Operation op, Long amount) {
        return PaymentLifecycle.apply(s, op, amount, AT);
    }

    private static void assertBalanced(List<Posting> postings) {
        long net = 0;
        for (Posting p : postings) net += p.direction() == 'D' ? p.amount() : -p.amount();
        assertEquals(0, net, postings.toString());
    }

    @Test
    void captureOnceUpToTheAuthorizedAmount() {
        PaymentLifecycle.Outcome full = apply(manual(1000), Operation.CAPTURE, null);
        assertEquals(new PaymentState("CAPTURED", 1000, 1000, 0, CaptureMode.MANUAL, 2), full.state());
        assertEquals(new PaymentEvent(2, "CAPTURE", "CAPTURED", 1000, AT), full.event());
        assertEquals(
                List.of(new Posting("cardholder_funding", 'D', 1000), new Posting("merchant_payable", 'C', 1000)),
                full.postings());
        assertEquals(600, apply(manual(1000), Operation.CAPTURE, 600L).state().capturedAmount());
        assertTrue(apply(manual(1000), Operation.CAPTURE, 1001L).refused());
        assertTrue(apply(full.state(), Operation.CAPTURE, null).refused(), "once");
        assertTrue(apply(sale(1000), Operation.CAPTURE, null).refused(), "a sale is captured already");
        assertTrue(apply(new PaymentState("DECLINED", 1000, 0, 0, CaptureMode.MANUAL, 1), Operation.CAPTURE, null)
                .refused());
        assertFalse(
                apply(new PaymentState("REVIEW", 1000, 0, 0, CaptureMode.MANUAL, 1), Operation.CAPTURE, null)
                        .refused(),
                "REVIEW is approved pending review");
    }

    @Test
    void voidOnlyBeforeCaptureAndPostsNothing() {
        PaymentLifecycle.Outcome v = apply(manual(500), Operation.VOID, null);
        assertEquals("VOIDED", v.state().status());
        assertEquals(List.of(), v.postings());
        assertTrue(apply(sale(500), Operation.VOID, null).refused());
        assertTrue(apply(v.state(), Operation.VOID, null).refused());
        assertTrue(apply(apply(manual(500), Operation.CAPTURE, null).state(), Operation.VOID, null)
                .refused());
    }

    @Test
    void refundsNeverExceedTheCapturedAmount() {
        PaymentLifecycle.Outcome first = apply(sale(1000), Operation.REFUND, 400L);
        assertEquals(new PaymentState("PARTIALLY_REFUNDED", 1000, 1000, 400, CaptureMode.AUTO, 2), first.state());
        assertEquals(
                List.of(new Posting("merchant_payable", 'D', 400), new Posting("cardholder_funding", 'C', 400)),
                first.postings());
        assertTrue(apply(first.state(), Operation.REFUND, 601L).refused());
        PaymentLifecycle.Outcome rest = apply(first.state(), Operation.REFUND, null);
        assertEquals(600, rest.event().amount(), "no amount means what remains");
        assertEquals("REFUNDED", rest.state().status());
        assertTrue(apply(rest.state(), Operation.REFUND, 1L).refused());
        assertTrue(apply(manual(1000), Operation.REFUND, 1L).refused(), "nothing captured yet");
        PaymentState captured = apply(manual(1000), Operation.CAPTURE, 700L).state();
        assertEquals("REFUNDED", apply(captured, Operation.REFUND, 700L).state().status());
    }

    @Test
    void onlyAnUncapturedAuthorizationExpires() {
        PaymentLifecycle.Outcome e = apply(manual(500), Operation.EXPIRE, null);
        assertEquals(new PaymentState("EXPIRED", 500, 0, 0, CaptureMode.MANUAL, 2), e.state());
        assertEquals(new PaymentEvent(2, "EXPIRY", "EXPIRED", 500, AT), e.event());
        assertEquals(List.of(), e.postings());
        assertTrue(apply(e.state(), Operation.CAPTURE, null).refused(), "an expired authorization cannot be captured");
        assertTrue(apply(sale(500), Operation.EXPIRE, null).refused());
        assertTrue(apply(apply(manual(500), Operation.CAPTURE, null).state(), Operation.EXPIRE, null)
                .refused());
        assertTrue(apply(apply(manual(500), Operation.VOID, null).state(), Operation.EXPIRE, null)
                .refused());
    }

    @Test
    void everyOutcomeBalances() {
        PaymentState s = manual(1000);
        for (Operation op : Operation.values()) {
            for (Long amount : new Long[] {null, 1L, 500L, 1000L}) {
                PaymentLifecycle.Outcome o = apply(s, op, amount);
                if (!o.refused()) assertBalanced(o.postings());
                PaymentLifecycle.Outcome on = apply(sale(1000), op, amount);
                if (!on.refused()) assertBalanced(on.postings());
            }
        }
    }
}
