package dev.payproc.core.audit;

import java.security.MessageDigest;

/**
 * The keyed links of the seal chains. Seal {@code seq} of chain {@code chain} is linked as
 * {@code hash = HMAC-SHA256(k, prev_hash || digest)} with {@code k = auditKey.derive("seal " + chain + " " + seq)}:
 * a key for that one seal, so a key that leaks from the database (where it travels as statement parameters) lets
 * nobody rewrite any other seal. PostgreSQL computes the same HMAC with its built-in {@code sha256()} from the two
 * padded keys ({@link #innerPad}, {@link #outerPad}): {@code sha256(opad || sha256(ipad || message))} (RFC 2104; a
 * 32-byte key is zero-padded to the 64-byte block), so no extension is needed and the audit key never leaves.
 */
public final class SealKeys {
    /** SHA-256's block size: the length of each padded key. */
    public static final int BLOCK = 64;

    private SealKeys() {}

    /** The key of one seal. */
    public static byte[] sealKey(AuditKey key, String chain, long seq) {
        return key.derive("seal " + chain + " " + seq);
    }

    /** The link a seal must carry: HMAC-SHA256 under its own key over the previous seal's hash and its digest. */
    public static byte[] link(AuditKey key, String chain, long seq, byte[] prevHash, byte[] digest) {
        byte[] message = new byte[prevHash.length + digest.length];
        System.arraycopy(prevHash, 0, message, 0, prevHash.length);
        System.arraycopy(digest, 0, message, prevHash.length, digest.length);
        return AuditKey.mac(sealKey(key, chain, seq), message);
    }

    /** Whether {@code hash} is the keyed link of that seal (constant time). */
    public static boolean linkHolds(AuditKey key, String chain, long seq, byte[] prevHash, byte[] digest, byte[] hash) {
        return MessageDigest.isEqual(link(key, chain, seq, prevHash, digest), hash);
    }

    /** {@code k ⊕ 0x36} over the 64-byte block (k zero-padded): the HMAC inner key. */
    public static byte[] innerPad(byte[] k) {
        return pad(k, (byte) 0x36);
    }

    /** {@code k ⊕ 0x5c} over the 64-byte block (k zero-padded): the HMAC outer key. */
    public static byte[] outerPad(byte[] k) {
        return pad(k, (byte) 0x5c);
    }

    private static byte[] pad(byte[] k, byte with) {
        if (k.length > BLOCK) throw new IllegalArgumentException("an HMAC key longer than the block is hashed first");
        byte[] p = new byte[BLOCK];
        for (int i = 0; i < BLOCK; i++) p[i] = (byte) ((i < k.length ? k[i] : 0) ^ with);
        return p;
    }

    /** The pre-V12 link, unkeyed: {@code sha256(prev_hash || digest)}; only legacy chains are checked with it. */
    public static byte[] unkeyedLink(byte[] prevHash, byte[] digest) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash);
            return sha.digest(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
