package io.durableops.samples.orders;

import io.durableops.core.DecryptionException;
import io.durableops.core.Encryptor;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * A custom {@link Encryptor}, as async_task lets you plug in your own: ChaCha20-Poly1305 (in the JDK since 11), for
 * teams whose policy prefers it to AES. Layout: {@code 'C' 'C' | 12-byte nonce | ciphertext and 16-byte tag}.
 * Anything that implements the two methods works, for example a client of your KMS.
 */
public final class ChaCha20Encryptor implements Encryptor {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final SecretKeySpec key;

    public ChaCha20Encryptor(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("ChaCha20 needs a 32-byte key, was " + key.length);
        this.key = new SecretKeySpec(key.clone(), "ChaCha20");
    }

    @Override
    public byte[] encrypt(byte[] plaintext) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(2 + nonce.length + sealed.length).put((byte) 'C').put((byte) 'C').put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 encryption failed", e);
        }
    }

    @Override
    public byte[] decrypt(byte[] ciphertext) {
        if (ciphertext == null || ciphertext.length < 2 + 12 + 16 || ciphertext[0] != 'C' || ciphertext[1] != 'C') {
            throw new DecryptionException("not a ChaCha20Encryptor ciphertext");
        }
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(Cipher.DECRYPT_MODE, key, new IvParameterSpec(ciphertext, 2, 12));
            return cipher.doFinal(ciphertext, 14, ciphertext.length - 14);
        } catch (AEADBadTagException e) {
            throw new DecryptionException("ChaCha20-Poly1305: wrong key or altered data", e);
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("ChaCha20-Poly1305 decryption failed: " + e.getMessage(), e);
        }
    }
}
