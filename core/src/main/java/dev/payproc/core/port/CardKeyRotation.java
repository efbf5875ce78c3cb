package dev.payproc.core.port;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * Rotation of the card encryption key: which key ids stored cards use, and re-encryption of the PANs stored under a
 * retired key id under the current one, so that the retired key can be dropped.
 */
public interface CardKeyRotation {
    /** The key ids of this configuration and the stored cards per key id (every configured id, 0 when unused). */
    record KeyUse(String currentKeyId, Set<String> retiredKeyIds, Map<String, Long> cardsByKeyId) {}

    /**
     * What one re-encryption did: the PANs re-encrypted and the cards per key id still not under the current key
     * afterwards (rows locked by another re-encryption, written meanwhile by a process on the old key, or under an id
     * this process has no key for), and whether it stopped at {@code maxPages} with more to do.
     */
    record Progress(long reEncrypted, Map<String, Long> remainingByKeyId, boolean morePages) {}

    /** A re-encryption that failed part way: the pages committed before it stay committed. */
    final class Interrupted extends RuntimeException {
        private final long reEncrypted;

        public Interrupted(long reEncrypted, Throwable cause) {
            super("re-encryption stopped after " + reEncrypted + " PANs: " + cause.getMessage(), cause);
            this.reEncrypted = reEncrypted;
        }

        public long reEncrypted() {
            return reEncrypted;
        }
    }

    Future<KeyUse> keyUse();

    /**
     * Re-encrypts under the current key every stored PAN under a retired key id, {@code pageSize} cards per
     * transaction, at most {@code maxPages} transactions; fails with {@link Interrupted} when a page fails.
     */
    Future<Progress> reEncrypt(int pageSize, int maxPages);
}
