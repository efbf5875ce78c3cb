package dev.payproc.risk;

/**
 * What the engine remembers of one card (by fingerprint), owned by the risk thread: every recent attempt
 * (time, amount, currency, merchant country, whether the card was present and whether funds were approved)
 * and an exponentially weighted mean and variance of its approved amounts in one currency. A payment in
 * another currency restarts that history: amounts are never compared across currencies, and a card paying
 * in several is rare. It also carries its own key for the engine's {@link CardTable}, so a card costs this object,
 * its ring and its slot in the table, not also a map entry and a key string.
 */
public final class CardHistory {
    private static final long APPROVED = 1L << 40;
    private static final long PRESENT = 1L << 41;

    /** The fingerprint as two longs when it is 32 lower-case hex digits (as the tokenizer makes them), else itself. */
    final long keyHigh;

    final long keyLow;
    final String keyOther;
    /** The merchant that brought the card in: its quota gets the card back when the card is evicted. */
    final CardQuota quota;

    private final EventRing attempts = new EventRing();
    private int samples;
    private int sampleCurrency;
    private double mean;
    private double variance;

    CardHistory(long keyHigh, long keyLow, String keyOther, CardQuota quota) {
        this.keyHigh = keyHigh;
        this.keyLow = keyLow;
        this.keyOther = keyOther;
        this.quota = quota;
    }

    /** Attempts, whatever their outcome, strictly after {@code millis}. */
    public int attemptsAfter(long millis) {
        return attempts.countAfter(millis);
    }

    /** The sum of approved amounts in {@code currency} strictly after {@code millis}. */
    public long approvedSumAfter(long millis, int currency) {
        long sum = 0;
        for (int i = attempts.firstAfter(millis); i < attempts.size(); i++) {
            if (isApprovedIn(i, currency)) sum += attempts.amount(i);
        }
        return sum;
    }

    /** Approved amounts in {@code currency} from {@code low} to {@code high} strictly after {@code millis}. */
    public int approvedBetween(long millis, int currency, long low, long high) {
        int n = 0;
        for (int i = attempts.firstAfter(millis); i < attempts.size(); i++) {
            long amount = attempts.amount(i);
            if (isApprovedIn(i, currency) && amount >= low && amount <= high) n++;
        }
        return n;
    }

    /** The index of the latest card-present attempt after {@code millis} in another country, or -1. */
    public int lastPresentElsewhere(long millis, int country) {
        int first = attempts.firstAfter(millis);
        for (int i = attempts.size() - 1; i >= first; i--) {
            long a = attempts.attrs(i);
            if ((a & PRESENT) != 0 && country(a) != country) return i;
        }
        return -1;
    }

    public long attemptMillis(int i) {
        return attempts.at(i);
    }

    public int attemptCountry(int i) {
        return country(attempts.attrs(i));
    }

    /** Approved amounts folded into the mean and variance, or 0 if they were in another currency. */
    public int samplesIn(int currency) {
        return currency == sampleCurrency ? samples : 0;
    }

    public double mean() {
        return mean;
    }

    public double variance() {
        return variance;
    }

    void expireUpTo(long millis) {
        attempts.expireUpTo(millis);
    }

    long lastMillis() {
        return attempts.lastMillis();
    }

    void record(
            long millis,
            long amount,
            int currency,
            int country,
            boolean present,
            boolean approved,
            int capacity,
            double alpha) {
        long attrs = currency | (long) country << 24 | (approved ? APPROVED : 0) | (present ? PRESENT : 0);
        attempts.add(millis, amount, attrs, capacity);
        if (approved) observe(amount, currency, alpha);
    }

    /** Incremental exponentially weighted mean and variance (Finch, "Incremental calculation of weighted mean and variance"). */
    private void observe(long amount, int currency, double alpha) {
        if (samples == 0 || currency != sampleCurrency) {
            sampleCurrency = currency;
            samples = 1;
            mean = amount;
            variance = 0;
            return;
        }
        double diff = amount - mean;
        double increment = alpha * diff;
        mean += increment;
        variance = (1 - alpha) * (variance + diff * increment);
        if (samples < Integer.MAX_VALUE) samples++;
    }

    private boolean isApprovedIn(int i, int currency) {
        long a = attempts.attrs(i);
        return (a & APPROVED) != 0 && (int) (a & 0xFF_FFFF) == currency;
    }

    private static int country(long attrs) {
        return (int) (attrs >>> 24 & 0xFFFF);
    }
}
