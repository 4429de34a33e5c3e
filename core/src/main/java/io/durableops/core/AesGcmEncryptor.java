package io.durableops.core;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * AES-256-GCM with a key id in every ciphertext, so keys can be rotated: new data is encrypted with the primary
 * key, old data is still decrypted with the key its id names.
 *
 * <p>Layout of a ciphertext: {@code 'D' 'O' 1 | key id length (1 byte) | key id (UTF-8) | 12-byte IV | ciphertext and 16-byte tag}.
 *
 * <pre>{@code
 * Encryptor enc = AesGcmEncryptor.builder()
 *         .primaryKey("2026-11", System.getenv("DURABLE_OPS_KEY_2026_11"))   // base64, 32 bytes
 *         .oldKey("2026-05", System.getenv("DURABLE_OPS_KEY_2026_05"))
 *         .build();
 * }</pre>
 */
public final class AesGcmEncryptor implements Encryptor {
    private static final byte[] MAGIC = {'D', 'O', 1};
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * One cipher per thread, initialised again for every use. why: {@code Cipher.getInstance} looks the provider up and
     * the first {@code init} with a key expands it; together about 3 of the 4 microseconds an encryption took. A cipher
     * is not thread-safe, and {@code init} resets it whatever state it was left in.
     */
    private static final ThreadLocal<Cipher> CIPHER = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new DurableOpsException("this JVM has no AES/GCM/NoPadding cipher: " + e.getMessage(), e);
        }
    });

    private final String primaryId;
    private final byte[] primaryIdBytes;
    private final Map<String, SecretKeySpec> keys;

    private AesGcmEncryptor(String primaryId, Map<String, SecretKeySpec> keys) {
        this.primaryId = primaryId;
        this.primaryIdBytes = primaryId.getBytes(StandardCharsets.UTF_8);
        this.keys = Map.copyOf(keys);
    }

    /** One key, used for everything. */
    public static AesGcmEncryptor of(String keyId, byte[] key) {
        return builder().primaryKey(keyId, key).build();
    }

    /** One key given in base64, as it would come from an environment variable or a secret store. */
    public static AesGcmEncryptor of(String keyId, String base64Key) {
        return builder().primaryKey(keyId, base64Key).build();
    }

    /** 32 random bytes in base64: a new key for {@link #of(String, String)}. */
    public static String generateKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The id of the key new data is encrypted with. */
    public String primaryKeyId() {
        return primaryId;
    }

    @Override
    public byte[] encrypt(byte[] plaintext) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(primaryId), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(MAGIC.length + 1 + primaryIdBytes.length + IV_BYTES + sealed.length)
                    .put(MAGIC).put((byte) primaryIdBytes.length).put(primaryIdBytes).put(iv).put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new DurableOpsException("AES-GCM encryption failed: " + e.getMessage(), e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext) {
        if (ciphertext == null) throw new DecryptionException("there is no ciphertext to decrypt (null)");
        ByteBuffer in = ByteBuffer.wrap(ciphertext);
        if (ciphertext.length < MAGIC.length + 1 || in.get() != MAGIC[0] || in.get() != MAGIC[1] || in.get() != MAGIC[2]) {
            throw new DecryptionException("data is not an AES-GCM ciphertext of Durable Ops (was it stored with Encryptor.plaintext()?)");
        }
        int idLength = Byte.toUnsignedInt(in.get());
        if (in.remaining() < idLength + IV_BYTES + TAG_BITS / 8) {
            throw new DecryptionException("ciphertext is truncated");
        }
        byte[] idBytes = new byte[idLength];
        in.get(idBytes);
        String keyId = new String(idBytes, StandardCharsets.UTF_8);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new DecryptionException("data was encrypted with key id '" + keyId + "', which is not configured (configured: "
                    + new java.util.TreeSet<>(keys.keySet()) + "); add it with AesGcmEncryptor.builder().oldKey(\"" + keyId + "\", ...)");
        }
        byte[] iv = new byte[IV_BYTES];
        in.get(iv);
        try {
            Cipher cipher = CIPHER.get();
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            return cipher.doFinal(ciphertext, in.position(), in.remaining());
        } catch (AEADBadTagException e) {
            throw new DecryptionException("data does not authenticate under key id '" + keyId
                    + "': the key with that id is not the one it was encrypted with, or the data was altered", e);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("AES-GCM decryption failed under key id '" + keyId + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "AesGcmEncryptor[primary=" + primaryId + ", keys=" + new java.util.TreeSet<>(keys.keySet()) + "]";
    }

    /** Collects the primary key and any older keys still needed to read existing data. */
    public static final class Builder {
        private String primaryId;
        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder primaryKey(String keyId, byte[] key) {
            add(keyId, key);
            this.primaryId = keyId;
            return this;
        }

        public Builder primaryKey(String keyId, String base64Key) {
            return primaryKey(keyId, decode(keyId, base64Key));
        }

        /** A key that only decrypts: data written before the last rotation. */
        public Builder oldKey(String keyId, byte[] key) {
            add(keyId, key);
            return this;
        }

        public Builder oldKey(String keyId, String base64Key) {
            return oldKey(keyId, decode(keyId, base64Key));
        }

        public AesGcmEncryptor build() {
            if (primaryId == null) throw new ConfigurationException("AesGcmEncryptor needs a primary key: call primaryKey(id, key)");
            return new AesGcmEncryptor(primaryId, keys);
        }

        private void add(String keyId, byte[] key) {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(key, "key");
            int idLength = keyId.getBytes(StandardCharsets.UTF_8).length;
            if (idLength == 0 || idLength > 255 || keyId.isBlank()) {
                throw new ConfigurationException("a key id must be 1 to 255 bytes of UTF-8, not blank, was '" + keyId + "'");
            }
            if (key.length != 32) {
                throw new ConfigurationException("key '" + keyId + "' has " + key.length
                        + " bytes; AES-256 needs exactly 32 (AesGcmEncryptor.generateKey() makes one)");
            }
            if (keys.containsKey(keyId)) throw new ConfigurationException("key id '" + keyId + "' is given twice");
            keys.put(keyId, new SecretKeySpec(key.clone(), "AES"));
        }

        private static byte[] decode(String keyId, String base64Key) {
            if (base64Key == null || base64Key.isBlank()) {
                throw new ConfigurationException("key '" + keyId + "' is empty (is its environment variable set?)");
            }
            try {
                return Base64.getDecoder().decode(base64Key.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("key '" + keyId + "' is not valid base64: " + e.getMessage());
            }
        }
    }
}
