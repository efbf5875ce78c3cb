package dev.payproc.core.port;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Set;

/**
 * Rotation of the card encryption key: which key ids stored cards use, and re-encryption of the PANs stored under a
 * retired key id under the current one, so that the retired key can be dropped.
 */
public interface CardKeyRotation {
    /**
     * The key ids of this configuration and the stored cards per key id (every configured id, 0 when unused), and the
     * generation of {@code CARD_HMAC_KEY} in use.
     */
    record KeyUse(String currentKeyId, Set<String> retiredKeyIds, Map<String, Long> cardsByKeyId, HmacKeyUse hmac) {}

    /**
     * The generation of {@code CARD_HMAC_KEY} (1 until its first rotation) and its latest rotation: when it started
     * and finished (null while cards remain to rewrite; both null for generation 1) and the cards it rewrote.
     */
    record HmacKeyUse(int epoch, String rotationStartedAt, String rotatedAt, long cardsRewritten) {}

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
