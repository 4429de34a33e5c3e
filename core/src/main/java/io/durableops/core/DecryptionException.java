package io.durableops.core;

/** Stored ciphertext could not be decrypted: an unknown key id, the wrong key, or tampered data. */
public final class DecryptionException extends DurableOpsException {
    public DecryptionException(String message) {
        super(message);
    }

    public DecryptionException(String message, Throwable cause) {
        super(message, cause);
    }
}
