package io.durableops.core;

/**
 * Encrypts everything a user passes in (input, globals, arguments, results, error messages) before it is stored.
 * Implementations must be thread-safe. {@link AesGcmEncryptor} is the one to use; {@link #plaintext()} stores data
 * unencrypted and must be chosen explicitly.
 */
public interface Encryptor {
    byte[] encrypt(byte[] plaintext);

    /** @throws DecryptionException if the data cannot be decrypted (unknown key, wrong key, tampered data) */
    byte[] decrypt(byte[] ciphertext);

    /** Stores data as it is. Only for development or data that is not sensitive. */
    static Encryptor plaintext() {
        return PlaintextEncryptor.INSTANCE;
    }
}
