package dev.payproc.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeeScheduleTest {
    private static final FeeSchedule FEES = new FeeSchedule(
            new FeeSchedule.Rate(150, Map.of("EUR", 25L)), Map.of("m-vip", new FeeSchedule.Rate(50, Map.of())));

    @Test
    void basisPointsRoundHalfUpPlusTheFixedFeeNeverAboveTheAmount() {
        assertEquals(150 + 25, FEES.feeFor("m-1", "EUR", 10_000));
        assertEquals(2 + 25, FEES.feeFor("m-1", "EUR", 100), "1.5 rounds to 2");
        assertEquals(2, FEES.feeFor("m-1", "JPY", 100), "no fixed fee in JPY: only 1.5% of 100, rounded up");
        assertEquals(10, FEES.feeFor("m-1", "EUR", 10), "never more than the captured amount");
        assertEquals(50, FEES.feeFor("m-vip", "EUR", 10_000), "a merchant's own rate replaces the standard one");
        assertEquals(0, FeeSchedule.NONE.feeFor("m-1", "EUR", 10_000));
        assertFalse(FeeSchedule.NONE.charges());
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule.Rate(-1, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule.Rate(10, Map.of("XXX", 1L)));
    }

    @Test
    void aCaptureCreditsTheFeeToFeeIncome() {
        PaymentState manual = new PaymentState("APPROVED", 10_000, 0, 0, CaptureMode.MANUAL, 1);
        PaymentLifecycle.Outcome o =
                PaymentLifecycle.apply(manual, Operation.CAPTURE, 4_000L, Instant.EPOCH, FEES, "m-1", "EUR");
        assertEquals(
                List.of(
                        new Posting("cardholder_funding", 'D', 4_000),
                        new Posting("merchant_payable", 'C', 4_000 - 85),
                        new Posting("fee_income", 'C', 85)),
                o.postings());
        PaymentLifecycle.Outcome tiny =
                PaymentLifecycle.apply(manual, Operation.CAPTURE, 20L, Instant.EPOCH, FEES, "m-1", "EUR");
        assertEquals(
                List.of(new Posting("cardholder_funding", 'D', 20), new Posting("fee_income", 'C', 20)),
                tiny.postings(),
                "a fee that takes it all leaves no zero posting");
    }

    @Test
    void feesAreBoundedAndNeverOverflowOrGoNegative() {
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule.Rate(10_001, Map.of()));
        assertThrows(IllegalArgumentException.class, () -> new FeeSchedule.Rate(10, Map.of("EUR", -1L)));
        assertThrows(
                IllegalArgumentException.class,
                () -> new FeeSchedule.Rate(10, Map.of("EUR", FeeSchedule.MAX_FIXED + 1)));
        FeeSchedule most =
                new FeeSchedule(new FeeSchedule.Rate(10_000, Map.of("EUR", FeeSchedule.MAX_FIXED)), Map.of());
        FeeSchedule some = new FeeSchedule(new FeeSchedule.Rate(9_999, Map.of("EUR", FeeSchedule.MAX_FIXED)), Map.of());
        assertEquals(Long.MAX_VALUE, most.feeFor("m-1", "EUR", Long.MAX_VALUE), "100% of the most: no overflow");
        long big = Long.MAX_VALUE - 1;
        long expected = java.math.BigDecimal.valueOf(big)
                .multiply(java.math.BigDecimal.valueOf(9_999))
                .divide(java.math.BigDecimal.valueOf(10_000), 0, java.math.RoundingMode.HALF_UP)
                .longValueExact();
        assertEquals(
                Math.min(big, expected + FeeSchedule.MAX_FIXED),
                some.feeFor("m-1", "EUR", big),
                "exact, as if computed without bounds");
        assertEquals(
                java.math.BigDecimal.valueOf(1_000_000_000_123L)
                        .multiply(java.math.BigDecimal.valueOf(150))
                        .divide(java.math.BigDecimal.valueOf(10_000), 0, java.math.RoundingMode.HALF_UP)
                        .longValueExact(),
                new FeeSchedule(new FeeSchedule.Rate(150, Map.of()), Map.of())
                        .feeFor("m-1", "JPY", 1_000_000_000_123L));
        assertEquals(0, FEES.feeFor("m-1", "EUR", -10_000), "never negative");
        assertEquals(0, FEES.feeFor("m-1", "EUR", 0));
    }
}
