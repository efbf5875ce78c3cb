package dev.payproc.core.model;

import java.util.Map;

/**
 * What the processor charges a merchant when money is captured: {@code bps} basis points of the captured
 * amount (rounded half up) plus a fixed fee per currency, never more than the amount captured. Merchants may
 * have their own rate. Refunds do not return fees. {@link #NONE} charges nothing.
 */
public record FeeSchedule(Rate standard, Map<String, Rate> merchants) {
    public static final FeeSchedule NONE = new FeeSchedule(new Rate(0, Map.of()), Map.of());

    /** One price: basis points and a fixed fee per currency (minor units). */
    public record Rate(int bps, Map<String, Long> fixed) {
        public Rate {
            if (bps < 0 || bps > 10_000) throw new IllegalArgumentException("bps must be between 0 and 10000");
            for (Map.Entry<String, Long> f : fixed.entrySet()) {
                if (Currencies.exponent(f.getKey()) < 0)
                    throw new IllegalArgumentException("unknown currency " + f.getKey());
                if (f.getValue() < 0)
                    throw new IllegalArgumentException("the fixed fee in " + f.getKey() + " must not be negative");
            }
            fixed = Map.copyOf(fixed);
        }
    }

    public FeeSchedule {
        merchants = Map.copyOf(merchants);
    }

    /** The fee for capturing {@code captured} minor units of {@code currency} for the merchant. */
    public long feeFor(String merchantId, String currency, long captured) {
        if (!charges()) return 0;
        Rate rate = merchantId == null ? standard : merchants.getOrDefault(merchantId, standard);
        long percentage =
                (captured * rate.bps() + 5_000) / 10_000; // amounts stay far below overflow (max 10^12 * 10^4)
        long fixed = currency == null ? 0 : rate.fixed().getOrDefault(currency, 0L);
        return Math.min(captured, percentage + fixed);
    }

    public boolean charges() {
        return standard.bps() > 0 || !standard.fixed().isEmpty() || !merchants.isEmpty();
    }
}
