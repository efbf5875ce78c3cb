package dev.payproc.core.model;

import java.util.Map;

/**
 * What the processor charges a merchant when money is captured: {@code bps} basis points of the captured
 * amount (rounded half up) plus a fixed fee per currency, never more than the amount captured. Merchants may
 * have their own rate. Refunds do not return fees. A dispute the merchant loses (or accepts) may cost a fixed
 * {@code disputeFees} per currency, as card networks charge acquirers. {@link #NONE} charges nothing.
 */
public record FeeSchedule(Rate standard, Map<String, Rate> merchants, Map<String, Long> disputeFees) {
    public static final FeeSchedule NONE = new FeeSchedule(new Rate(0, Map.of()), Map.of());

    /** The highest fixed fee per capture, in minor units: anything above is a typo, not a price. */
    public static final long MAX_FIXED = 1_000_000;

    /** One price: basis points (0-10,000) and a fixed fee per currency (0 to {@link #MAX_FIXED} minor units). */
    public record Rate(int bps, Map<String, Long> fixed) {
        public Rate {
            if (bps < 0 || bps > 10_000) throw new IllegalArgumentException("bps must be between 0 and 10000");
            for (Map.Entry<String, Long> f : fixed.entrySet()) {
                if (Currencies.exponent(f.getKey()) < 0)
                    throw new IllegalArgumentException("unknown currency " + f.getKey());
                if (f.getValue() < 0 || f.getValue() > MAX_FIXED)
                    throw new IllegalArgumentException(
                            "the fixed fee in " + f.getKey() + " must be between 0 and " + MAX_FIXED);
            }
            fixed = Map.copyOf(fixed);
        }
    }

    public FeeSchedule {
        merchants = Map.copyOf(merchants);
        for (Map.Entry<String, Long> f : disputeFees.entrySet()) {
            if (Currencies.exponent(f.getKey()) < 0)
                throw new IllegalArgumentException("unknown currency " + f.getKey());
            if (f.getValue() < 0 || f.getValue() > MAX_FIXED)
                throw new IllegalArgumentException(
                        "the dispute fee in " + f.getKey() + " must be between 0 and " + MAX_FIXED);
        }
        disputeFees = Map.copyOf(disputeFees);
    }

    /** A schedule without dispute fees. */
    public FeeSchedule(Rate standard, Map<String, Rate> merchants) {
        this(standard, merchants, Map.of());
    }

    /** What a lost or accepted dispute in {@code currency} costs the merchant (0 when none is configured). */
    public long disputeFee(String currency) {
        return disputeFees.getOrDefault(currency, 0L);
    }

    /**
     * The fee for capturing {@code captured} minor units of {@code currency} for the merchant: between 0 and
     * {@code captured}, for any amount (no step can overflow).
     */
    public long feeFor(String merchantId, String currency, long captured) {
        if (!charges() || captured <= 0) return 0;
        Rate rate = merchantId == null ? standard : merchants.getOrDefault(merchantId, standard);
        // captured * bps / 10,000 half up, split so that neither product can overflow: (q * 10,000 + r) * bps / 10,000
        long percentage = captured / 10_000 * rate.bps() + (captured % 10_000 * rate.bps() + 5_000) / 10_000;
        long fixed = currency == null ? 0 : rate.fixed().getOrDefault(currency, 0L);
        return fixed >= captured - percentage ? captured : percentage + fixed;
    }

    public boolean charges() {
        return standard.bps() > 0 || !standard.fixed().isEmpty() || !merchants.isEmpty();
    }
}
