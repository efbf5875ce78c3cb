package dev.payproc.risk.stage;

import dev.payproc.core.pipeline.IdempotencyEntry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The recent {@code Idempotency-Key}s, per merchant, owned by the risk thread. Bounded: the oldest keys
 * are forgotten first; a forgotten key is still caught by the database's unique key on commit, which
 * answers the replay or conflict from the stored response.
 */
final class IdempotencyTable {
    record Key(String merchantId, String idempotencyKey) {}

    private final Map<Key, IdempotencyEntry> entries;

    IdempotencyTable(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, IdempotencyEntry> eldest) {
                return size() > capacity;
            }
        };
    }

    IdempotencyEntry get(Key key) {
        return entries.get(key);
    }

    void put(Key key, IdempotencyEntry entry) {
        entries.put(key, entry);
    }

    int size() {
        return entries.size();
    }
}
