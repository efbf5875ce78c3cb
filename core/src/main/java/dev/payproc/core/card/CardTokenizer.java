package dev.payproc.core.card;

import dev.payproc.core.model.CardOnFile;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns a PAN into what the processor may keep: a keyed fingerprint, a merchant-scoped token, the masked
 * form and an AES-GCM ciphertext. Thread-safe: each thread gets its own Mac, Cipher and random source,
 * so event loops tokenize in parallel without sharing state.
 */
public final class CardTokenizer {
    private static final int GCM_IV_BYTES = 12;
    private static final int GCM_TAG_BITS = 128;
    private static final Base64.Encoder TOKEN_ENCODING = Base64.getUrlEncoder().withoutPadding();

    private final String keyId;
    private final SecretKeySpec hmacKey;
    private final SecretKeySpec aesKey;
    private final Map<String, SecretKeySpec> decryptionKeys = new HashMap<>();
    private final ThreadLocal<Mac> macs;
    private final ThreadLocal<Cipher> ciphers;
    /**
     * IVs from a DRBG (NIST SP 800-90A) per thread, seeded once: the default {@code NativePRNG} reads
     * {@code /dev/urandom} under a global lock on every call, a system call per authorization.
     */
    private final ThreadLocal<SecureRandom> randoms =
            ThreadLocal.withInitial(() -> newInstance(() -> SecureRandom.getInstance("DRBG")));

    public CardTokenizer(CardKeys keys) {
        this.keyId = keys.encryptionKeyId();
        this.hmacKey = new SecretKeySpec(keys.hmacKey(), "HmacSHA256");
        this.aesKey = new SecretKeySpec(keys.encryptionKey(), "AES");
        decryptionKeys.put(keyId, aesKey);
        keys.retiredKeys().forEach((id, key) -> decryptionKeys.put(id, new SecretKeySpec(key, "AES")));
        this.macs = ThreadLocal.withInitial(() -> newInstance(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(hmacKey);
            return mac;
        }));
        this.ciphers = ThreadLocal.withInitial(() -> newInstance(() -> Cipher.getInstance("AES/GCM/NoPadding")));
    }

    /** Tokenizes a Luhn-valid PAN presented to {@code merchantId}. */
    public CardOnFile tokenize(String pan, String expiry, String merchantId) {
        return new CardOnFile(
                token(pan, merchantId), fingerprint(pan), mask(pan), bin(pan), expiry, encrypt(pan), keyId);
    }

    /** A card's fingerprint and its token for one merchant, under the current HMAC key. */
    public record Derived(String fingerprint, String token) {}

    /**
     * The fingerprint and {@code merchantId}'s token that {@link #tokenize} gives the PAN of {@code ciphertext}
     * (under {@code ciphertextKeyId}, current or retired) under the current HMAC key: for rotating
     * {@code CARD_HMAC_KEY}. Like {@link #reEncrypt}, the PAN never leaves here.
     */
    public Derived reDerive(byte[] ciphertext, String ciphertextKeyId, String merchantId) {
        String pan = decrypt(ciphertext, ciphertextKeyId);
        return new Derived(fingerprint(pan), token(pan, merchantId));
    }

    private String fingerprint(String pan) {
        return HexFormat.of().formatHex(hmac("fp:" + pan), 0, 16);
    }

    private String token(String pan, String merchantId) {
        byte[] tokenMac = hmac("tok:" + merchantId + ':' + pan);
        return "tok_" + TOKEN_ENCODING.encodeToString(Arrays.copyOf(tokenMac, 18)); // 144 bits, 24 chars
    }

    /** The fewest digits the masked form hides: first six and last four would leave a 12-digit PAN two. */
    static final int MIN_HIDDEN_DIGITS = 6;

    /**
     * The last four digits and at most the first six (PCI DSS), fewer below 16 digits so that at least {@value
     * #MIN_HIDDEN_DIGITS} stay starred: what receipts and responses may show.
     */
    public static String mask(String pan) {
        int n = pan.length();
        int first = Math.max(0, Math.min(6, n - 4 - MIN_HIDDEN_DIGITS));
        return pan.substring(0, first) + "*".repeat(n - 4 - first) + pan.substring(n - 4);
    }

    /**
     * The BIN: the first 8 digits (issuers moved to 8-digit BINs), but only 6 for PANs shorter than 16 digits,
     * as PCI DSS allows: with the last four in the masked form, 8 digits would leave too few of a short PAN hidden
     * (a 12-digit PAN entirely).
     */
    public static String bin(String pan) {
        return pan.substring(0, pan.length() >= 16 ? 8 : 6);
    }

    /**
     * Decrypts a ciphertext produced by {@link #tokenize} under the key it names, current or retired (for
     * clearing files; never for responses or logs).
     */
    public String decrypt(byte[] ciphertext, String ciphertextKeyId) {
        SecretKeySpec key = decryptionKeys.get(ciphertextKeyId);
        if (key == null) throw new IllegalStateException("no card key " + ciphertextKeyId + " is configured");
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, ciphertext, 0, GCM_IV_BYTES));
            byte[] plain = cipher.doFinal(ciphertext, GCM_IV_BYTES, ciphertext.length - GCM_IV_BYTES);
            return new String(plain, StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("card ciphertext does not decrypt under key " + ciphertextKeyId, e);
        }
    }

    /**
     * The PAN of {@code ciphertext} (under {@code ciphertextKeyId}, current or retired) encrypted again under the
     * current key, with a fresh IV: for re-encryption before a retired key is dropped. The PAN never leaves here.
     */
    public byte[] reEncrypt(byte[] ciphertext, String ciphertextKeyId) {
        return encrypt(decrypt(ciphertext, ciphertextKeyId));
    }

    public String keyId() {
        return keyId;
    }

    private byte[] encrypt(String pan) {
        try {
            byte[] out = new byte[GCM_IV_BYTES + pan.length() + GCM_TAG_BITS / 8];
            // A fresh random 96-bit IV per PAN (safe for far more than one key's expected use; keys rotate by id).
            randoms.get().nextBytes(out); // the first 12 bytes become the IV; the rest is overwritten
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(GCM_TAG_BITS, out, 0, GCM_IV_BYTES));
            cipher.doFinal(pan.getBytes(StandardCharsets.US_ASCII), 0, pan.length(), out, GCM_IV_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    private byte[] hmac(String input) {
        return macs.get().doFinal(input.getBytes(StandardCharsets.US_ASCII)); // doFinal resets the Mac for reuse
    }

    private interface CryptoFactory<T> {
        T create() throws GeneralSecurityException;
    }

    private static <T> T newInstance(CryptoFactory<T> factory) {
        try {
            return factory.create();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks a required crypto algorithm", e);
        }
    }
}
