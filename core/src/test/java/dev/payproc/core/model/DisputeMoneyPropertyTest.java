package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Money is conserved through any mix of capture, refund, dispute, evidence, accept, won and lost: 200 seeded random
 * sequences through {@link PaymentLifecycle} and {@link DisputeLifecycle}, legal steps or not, with every posting
 * booked to its account. After every step: each step's postings balance, the accounts sum to zero, refunds and
 * disputes never exceed the capture, the dispute account holds exactly the undecided disputes, and every account
 * holds what the steps say it should.
 */
class DisputeMoneyPropertyTest {
    private static final Instant AT = Instant.parse("2026-12-08T10:00:00Z");
    private static final LocalDate TODAY = LocalDate.parse("2026-12-08");

    /** One dispute as the desk keeps it. */
    private static final class Open {
        final long amount;
        DisputeStatus status = DisputeStatus.OPEN;

        Open(long amount) {
            this.amount = amount;
        }
    }

    /** How often each kind of step was applied (not refused), over all sequences: none may be left untried. */
    private final Map<String, Integer> applied = new HashMap<>();

    @Test
    void moneyIsConservedThroughAnySequence() {
        for (long seed = 1; seed <= 200; seed++) run(new Random(seed), seed);
        for (String kind : List.of(
                "CAPTURE",
                "REFUND",
                "DISPUTE_OPENED",
                "DISPUTE_EVIDENCE",
                "DISPUTE_ACCEPTED",
                "DISPUTE_WON",
                "DISPUTE_LOST")) {
            assertTrue(applied.getOrDefault(kind, 0) > 10, kind + " applied: " + applied);
        }
    }

    private void run(Random rnd, long seed) {
        long amount = 1 + rnd.nextInt(20_000);
        boolean sale = rnd.nextBoolean();
        long captureFeeBps = rnd.nextInt(300);
        long disputeFee = rnd.nextBoolean() ? 0 : rnd.nextInt(2_000);
        FeeSchedule fees = new FeeSchedule(
                new FeeSchedule.Rate((int) captureFeeBps, Map.of()), Map.of(), Map.of("EUR", disputeFee));
        Map<String, Long> accounts = new HashMap<>(); // debits positive
        PaymentState state;
        long captureFee = 0;
        if (sale) {
            captureFee = fees.feeFor("m", "EUR", amount);
            book(accounts, PaymentLifecycle.capturePostings(amount, captureFee), seed);
            state = new PaymentState("APPROVED", amount, amount, 0, CaptureMode.AUTO, 1);
        } else {
            state = new PaymentState("APPROVED", amount, 0, 0, CaptureMode.MANUAL, 1);
        }
        List<Open> disputes = new ArrayList<>();
        long disputeFees = 0;
        int steps = 1 + rnd.nextInt(12);
        for (int i = 0; i < steps; i++) {
            String what = "seed " + seed + " step " + i;
            int op = rnd.nextInt(7);
            Long requested = rnd.nextInt(4) == 0 ? null : (long) (1 + rnd.nextInt((int) amount + 10));
            if (op <= 1) {
                PaymentLifecycle.Outcome o = PaymentLifecycle.apply(
                        state, op == 0 ? Operation.CAPTURE : Operation.REFUND, requested, AT, fees, "m", "EUR");
                if (!o.refused()) {
                    applied.merge(o.event().type(), 1, Integer::sum);
                    book(accounts, o.postings(), seed);
                    for (Posting p : o.postings()) if (p.account().equals(Posting.FEE_INCOME)) captureFee += p.amount();
                    state = o.state();
                }
            } else if (op == 2) {
                long ask = requested == null ? state.undisputedRemainder() : requested;
                DisputeLifecycle.Step s = DisputeLifecycle.open(state, ask);
                if (!s.refused()) {
                    applied.merge(s.eventType(), 1, Integer::sum);
                    book(accounts, s.postings(), seed);
                    disputes.add(new Open(ask));
                    state = withDisputed(state, state.disputedAmount() + s.disputedChange());
                }
            } else if (!disputes.isEmpty()) {
                Open d = disputes.get(rnd.nextInt(disputes.size()));
                DisputeLifecycle.Step s = switch (op) {
                    case 3 -> DisputeLifecycle.evidence(d.status, TODAY.plusDays(rnd.nextInt(3) - 1), TODAY);
                    case 4 -> DisputeLifecycle.accept(d.status, d.amount, fees.disputeFee("EUR"));
                    default -> DisputeLifecycle.decide(d.status, op == 5, d.amount, fees.disputeFee("EUR"));
                };
                if (!s.refused()) {
                    applied.merge(s.eventType(), 1, Integer::sum);
                    book(accounts, s.postings(), seed);
                    d.status = s.status();
                    disputeFees += s.fee();
                    state = withDisputed(state, state.disputedAmount() + s.disputedChange());
                }
            }
            long net = 0;
            for (long v : accounts.values()) net += v;
            assertEquals(0, net, what + ": the accounts sum to zero " + accounts);
            assertTrue(state.refundedAmount() + state.disputedAmount() <= state.capturedAmount(), what);
            assertTrue(state.capturedAmount() <= amount, what);
            long pending = 0, held = 0, lost = 0, won = 0, opened = 0;
            for (Open d : disputes) {
                opened += d.amount;
                if (d.status.pending()) pending += d.amount;
                if (d.status != DisputeStatus.WON) held += d.amount; // a won dispute gives it back
                if (d.status == DisputeStatus.LOST || d.status == DisputeStatus.ACCEPTED) lost += d.amount;
                if (d.status == DisputeStatus.WON) won += d.amount;
            }
            assertEquals(held, state.disputedAmount(), what);
            assertEquals(opened - won, state.disputedAmount(), what);
            // credits are negative: the dispute account holds the undecided disputes
            assertEquals(-pending, balance(accounts, Posting.DISPUTE), what);
            assertEquals(
                    -(state.capturedAmount() - captureFee - state.refundedAmount() - held - disputeFees),
                    balance(accounts, Posting.MERCHANT_PAYABLE),
                    what);
            assertEquals(
                    state.capturedAmount() - state.refundedAmount() - lost,
                    balance(accounts, Posting.CARDHOLDER_FUNDING),
                    what);
            assertEquals(-(captureFee + disputeFees), balance(accounts, Posting.FEE_INCOME), what);
        }
    }

    private static PaymentState withDisputed(PaymentState s, long disputed) {
        return new PaymentState(
                s.status(),
                s.amount(),
                s.capturedAmount(),
                s.refundedAmount(),
                s.captureMode(),
                s.lastEventSeq() + 1,
                disputed);
    }

    private static long balance(Map<String, Long> accounts, String account) {
        return accounts.getOrDefault(account, 0L);
    }

    private static void book(Map<String, Long> accounts, List<Posting> postings, long seed) {
        long net = 0;
        for (Posting p : postings) {
            assertTrue(p.amount() > 0, "seed " + seed + ": a posting moves money: " + postings);
            long signed = p.direction() == 'D' ? p.amount() : -p.amount();
            accounts.merge(p.account(), signed, Long::sum);
            net += signed;
        }
        assertEquals(0, net, "seed " + seed + ": each step balances " + postings);
    }
}
