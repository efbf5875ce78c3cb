package dev.payproc.risk.stage;

import dev.payproc.core.pipeline.IdempotencyEntry;
import dev.payproc.core.stage.ThreadOwner;

/**
 * The recent {@code Idempotency-Key}s, per merchant, owned by the risk thread. Bounded: the oldest keys
 * are forgotten first; a forgotten key is still caught by the database's unique key on commit, which
 * answers the replay or conflict from the stored response.
 * <p>
 * Built for the garbage collector as much as for lookups: keys live in a ring of slots written in order, found
 * through an open-addressing index of slot numbers (an {@code int[]}). A new key writes references only into the
 * next ring slot, so the long-lived ring is dirtied one card per hundred keys, where a linked hash map linked
 * each new entry from an old one and from its bucket (two old-to-young references a key for every young
 * collection to scan), and it allocates no map entry or key object.
 */
final class IdempotencyTable {
    private final String[] merchantIds;
    private final String[] keys;
    private final IdempotencyEntry[] entries;
    /** Ring slot + 1 of the key hashed here (linear probing), 0 when free; at most half full. */
    private final int[] index;

    private final int mask;
    private final ThreadOwner owner = new ThreadOwner("an idempotency table"); // the first to touch it: the risk thread
    private int next; // the ring slot the next new key takes: the oldest key's once the ring is full
    private int size;

    IdempotencyTable(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be positive: " + capacity);
        merchantIds = new String[capacity];
        keys = new String[capacity];
        entries = new IdempotencyEntry[capacity];
        index = new int[Integer.highestOneBit(capacity) << 2]; // a power of two, over twice the capacity
        mask = index.length - 1;
    }

    IdempotencyEntry get(String merchantId, String key) {
        assert owner.isCurrent() : owner;
        int at = find(merchantId, key);
        return at < 0 ? null : entries[index[at] - 1];
    }

    /** Records the entry of a key; a key already here (one whose request failed without commit) is replaced. */
    void put(String merchantId, String key, IdempotencyEntry entry) {
        assert owner.isCurrent() : owner;
        int at = find(merchantId, key);
        if (at >= 0) {
            entries[index[at] - 1] = entry;
            return;
        }
        if (size == entries.length) forget(next);
        else size++;
        merchantIds[next] = merchantId;
        keys[next] = key;
        entries[next] = entry;
        int slot = hash(merchantId, key) & mask;
        while (index[slot] != 0) slot = (slot + 1) & mask;
        index[slot] = next + 1;
        next = next + 1 == entries.length ? 0 : next + 1;
    }

    int size() {
        return size;
    }

    /** The index position holding this key, or -1. */
    private int find(String merchantId, String key) {
        for (int slot = hash(merchantId, key) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
            int ring = index[slot] - 1;
            if (keys[ring].equals(key) && merchantIds[ring].equals(merchantId)) return slot;
        }
        return -1;
    }

    /** Drops the key in ring slot {@code ring} from the index, shifting later probes back so none is cut off. */
    private void forget(int ring) {
        int hole = find(merchantIds[ring], keys[ring]);
        for (int slot = (hole + 1) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
            int home = hash(merchantIds[index[slot] - 1], keys[index[slot] - 1]) & mask;
            // Move the entry into the hole unless its home lies cyclically in (hole, slot]: then it is reachable.
            if (((slot - home) & mask) >= ((slot - hole) & mask)) {
                index[hole] = index[slot];
                hole = slot;
            }
        }
        index[hole] = 0;
    }

    private static int hash(String merchantId, String key) {
        int h = key.hashCode() * 31 + merchantId.hashCode();
        return h ^ h >>> 16;
    }
}
