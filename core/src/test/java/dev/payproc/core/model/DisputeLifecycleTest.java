package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisputeLifecycleTest {
    private static final LocalDate TODAY = LocalDate.parse("2026-12-08");

    private static PaymentState captured(long captured, long refunded, long disputed) {
        return new PaymentState("CAPTURED", 1000, captured, refunded, CaptureMode.MANUAL, 2, disputed);
    }

    private static void assertRefused(DisputeLifecycle.Step step, String why) {
        assertEquals(why, step.refusal());
        assertNull(step.status());
        assertEquals(List.of(), step.postings());
    }

    @Test
    void opensOnCapturedMoneyLeftTakingItFromThePayable() {
        DisputeLifecycle.Step open = DisputeLifecycle.open(captured(1000, 300, 200), 500);
        assertFalse(open.refused());
        assertEquals(DisputeStatus.OPEN, open.status());
        assertEquals("DISPUTE_OPENED", open.eventType());
        assertEquals(500, open.disputedChange());
        assertEquals(
                List.of(new Posting("merchant_payable", 'D', 500), new Posting("dispute", 'C', 500)), open.postings());
        for (String status : List.of("APPROVED", "REVIEW", "PARTIALLY_REFUNDED")) {
            PaymentState s = new PaymentState(status, 1000, 1000, 0, CaptureMode.AUTO, 1, 0);
            assertFalse(DisputeLifecycle.open(s, 1000).refused(), status);
        }
    }

    @Test
    void refusesToOpenWithoutCapturedMoneyOrAboveWhatRemains() {
        for (String status : List.of("DECLINED", "CHALLENGE", "VOIDED", "EXPIRED", "REFUNDED")) {
            PaymentState s = new PaymentState(status, 1000, 0, 0, CaptureMode.MANUAL, 2);
            assertRefused(DisputeLifecycle.open(s, 1), "a " + status + " payment has no captured money to dispute");
        }
        assertRefused(
                DisputeLifecycle.open(new PaymentState("APPROVED", 1000, 0, 0, CaptureMode.MANUAL, 1), 1),
                "a APPROVED payment has no captured money to dispute");
        assertRefused(
                DisputeLifecycle.open(captured(1000, 300, 200), 501),
                "cannot dispute 501: only 500 of the captured 1000 remains (300 refunded, 200 already disputed)");
        assertRefused(
                DisputeLifecycle.open(captured(1000, 400, 600), 1),
                "nothing of the captured 1000 remains to dispute (400 refunded, 600 already disputed)");
    }

    @Test
    void evidenceOnceWhileOpenAndByTheDueDate() {
        DisputeLifecycle.Step e = DisputeLifecycle.evidence(DisputeStatus.OPEN, TODAY, TODAY);
        assertEquals(DisputeStatus.EVIDENCE_SUBMITTED, e.status());
        assertEquals("DISPUTE_EVIDENCE", e.eventType());
        assertEquals(List.of(), e.postings());
        assertEquals(0, e.disputedChange());
        assertRefused(
                DisputeLifecycle.evidence(DisputeStatus.OPEN, TODAY.minusDays(1), TODAY),
                "the evidence was due by 2026-12-07 and that day has passed");
        assertRefused(
                DisputeLifecycle.evidence(DisputeStatus.EVIDENCE_SUBMITTED, TODAY, TODAY),
                "evidence was already submitted for this dispute");
        assertRefused(
                DisputeLifecycle.evidence(DisputeStatus.ACCEPTED, TODAY, TODAY),
                "the merchant accepted this dispute: evidence can no longer be submitted");
        assertRefused(
                DisputeLifecycle.evidence(DisputeStatus.WON, TODAY, TODAY),
                "the dispute is already WON: evidence can no longer be submitted");
        assertRefused(
                DisputeLifecycle.evidence(DisputeStatus.LOST, TODAY, TODAY),
                "the dispute is already LOST: evidence can no longer be submitted");
    }

    @Test
    void acceptingReturnsTheMoneyToTheCardholderWithTheFee() {
        for (DisputeStatus from : List.of(DisputeStatus.OPEN, DisputeStatus.EVIDENCE_SUBMITTED)) {
            DisputeLifecycle.Step a = DisputeLifecycle.accept(from, 700, 25);
            assertEquals(DisputeStatus.ACCEPTED, a.status());
            assertEquals("DISPUTE_ACCEPTED", a.eventType());
            assertEquals(25, a.fee());
            assertEquals(0, a.disputedChange(), "an accepted dispute keeps holding its part of the capture");
            assertEquals(
                    List.of(
                            new Posting("dispute", 'D', 700),
                            new Posting("cardholder_funding", 'C', 700),
                            new Posting("merchant_payable", 'D', 25),
                            new Posting("fee_income", 'C', 25)),
                    a.postings());
        }
        assertEquals(
                List.of(new Posting("dispute", 'D', 700), new Posting("cardholder_funding", 'C', 700)),
                DisputeLifecycle.accept(DisputeStatus.OPEN, 700, 0).postings());
        assertRefused(DisputeLifecycle.accept(DisputeStatus.ACCEPTED, 700, 0), "the dispute is already accepted");
        assertRefused(
                DisputeLifecycle.accept(DisputeStatus.WON, 700, 0),
                "the dispute is already WON and cannot be accepted");
        assertRefused(
                DisputeLifecycle.accept(DisputeStatus.LOST, 700, 0),
                "the dispute is already LOST and cannot be accepted");
    }

    @Test
    void anOutcomeOnceWhileUndecided() {
        for (DisputeStatus from : List.of(DisputeStatus.OPEN, DisputeStatus.EVIDENCE_SUBMITTED)) {
            DisputeLifecycle.Step won = DisputeLifecycle.decide(from, true, 700, 25);
            assertEquals(DisputeStatus.WON, won.status());
            assertEquals("DISPUTE_WON", won.eventType());
            assertEquals(-700, won.disputedChange());
            assertEquals(0, won.fee(), "a dispute won costs nothing");
            assertEquals(
                    List.of(new Posting("dispute", 'D', 700), new Posting("merchant_payable", 'C', 700)),
                    won.postings());
            DisputeLifecycle.Step lost = DisputeLifecycle.decide(from, false, 700, 25);
            assertEquals(DisputeStatus.LOST, lost.status());
            assertEquals("DISPUTE_LOST", lost.eventType());
            assertEquals(0, lost.disputedChange());
            assertEquals(25, lost.fee());
            assertEquals(DisputeLifecycle.accept(from, 700, 25).postings(), lost.postings());
        }
        for (boolean won : new boolean[] {true, false}) {
            assertRefused(
                    DisputeLifecycle.decide(DisputeStatus.ACCEPTED, won, 700, 0),
                    "the merchant accepted this dispute: it is settled as lost and takes no outcome");
            assertRefused(
                    DisputeLifecycle.decide(DisputeStatus.WON, won, 700, 0),
                    "the dispute already has its outcome: WON");
            assertRefused(
                    DisputeLifecycle.decide(DisputeStatus.LOST, won, 700, 0),
                    "the dispute already has its outcome: LOST");
        }
    }

    @Test
    void aRefundLeavesWhatDisputesHold() {
        PaymentState s = captured(1000, 200, 500);
        PaymentLifecycle.Outcome tooMuch = PaymentLifecycle.apply(s, Operation.REFUND, 301L, null);
        assertEquals(
                "cannot refund 301: only 300 of the captured 1000 remains (500 is held by disputes)",
                tooMuch.refusal());
        PaymentLifecycle.Outcome rest = PaymentLifecycle.apply(s, Operation.REFUND, null, null);
        assertEquals(500, rest.state().refundedAmount());
        assertEquals(500, rest.state().disputedAmount());
        assertEquals("PARTIALLY_REFUNDED", rest.state().status());
        assertEquals(
                "nothing is left to refund: of the captured 1000, 500 is refunded and 500 is held by disputes",
                PaymentLifecycle.apply(rest.state(), Operation.REFUND, null, null)
                        .refusal());
    }
}
