package dev.payproc.risk;

/**
 * How many cards one merchant has brought into one shard's {@link CardTable}, and how many it may: random PANs from
 * one merchant fill its own quota, never the memory that other merchants' cards need. Owned by the risk thread.
 */
final class CardQuota {
    private final int max;
    private int cards;

    CardQuota(int max) {
        this.max = max;
    }

    /** Counts one more card, or false when the quota is full. */
    boolean take() {
        if (cards >= max) return false;
        cards++;
        return true;
    }

    void giveBack() {
        cards--;
    }

    boolean isEmpty() {
        return cards == 0;
    }
}
