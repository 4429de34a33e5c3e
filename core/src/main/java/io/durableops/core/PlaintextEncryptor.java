package io.durableops.core;

/** The explicit choice not to encrypt; see {@link Encryptor#plaintext()}. */
final class PlaintextEncryptor implements Encryptor {
    static final PlaintextEncryptor INSTANCE = new PlaintextEncryptor();

    private PlaintextEncryptor() {
    }

    @Override
    public byte[] encrypt(byte[] plaintext) {
        return plaintext;
    }

    @Override
    public byte[] decrypt(byte[] ciphertext) {
        return ciphertext;
    }

    @Override
    public String toString() {
        return "Encryptor.plaintext()";
    }
}
