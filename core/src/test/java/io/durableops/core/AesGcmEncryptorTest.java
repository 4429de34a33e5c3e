package io.durableops.core;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** AES-256-GCM with a key id in every ciphertext: round trips, rotation, and a clear answer for every bad input. */
class AesGcmEncryptorTest {
    private static final String KEY_1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes, base64
    private static final String KEY_2 = Base64.getEncoder().encodeToString(bytes(32, 7));
    private static final byte[] SECRET = "{\"card\":\"4111 1111 1111 1111\"}".getBytes(StandardCharsets.UTF_8);
    /** 'D' 'O' 1, then the key id's length and the key id. */
    private static final int HEADER = 4;
    private static final int IV_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private final AesGcmEncryptor k1 = AesGcmEncryptor.of("k1", KEY_1);

    @Test
    void roundTrip() {
        byte[] sealed = k1.encrypt(SECRET);

        assertThat(k1.decrypt(sealed)).isEqualTo(SECRET);
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("4111");
        assertThat(sealed).hasSize(HEADER + "k1".length() + IV_BYTES + SECRET.length + TAG_BYTES);
    }

    @Test
    void roundTripOfEmptyAndLargeData() {
        byte[] large = bytes(1 << 20, 3);

        assertThat(k1.decrypt(k1.encrypt(new byte[0]))).isEmpty();
        assertThat(k1.decrypt(k1.encrypt(large))).isEqualTo(large);
    }

    @Test
    void everyEncryptionUsesAFreshIv() {
        byte[] first = k1.encrypt(SECRET);
        byte[] second = k1.encrypt(SECRET);

        assertThat(first).isNotEqualTo(second);
        assertThat(iv(first, "k1")).isNotEqualTo(iv(second, "k1"));
        assertThat(k1.decrypt(first)).isEqualTo(k1.decrypt(second)).isEqualTo(SECRET);
    }

    @Test
    void theKeyIdIsWrittenInClearAfterTheMagicBytes() {
        AesGcmEncryptor encryptor = AesGcmEncryptor.of("schlüssel-2026", KEY_1);
        byte[] id = "schlüssel-2026".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = encryptor.encrypt(SECRET);

        assertThat(Arrays.copyOfRange(sealed, 0, 3)).containsExactly('D', 'O', 1);
        assertThat(Byte.toUnsignedInt(sealed[3])).isEqualTo(id.length);
        assertThat(Arrays.copyOfRange(sealed, HEADER, HEADER + id.length)).isEqualTo(id);
        assertThat(encryptor.primaryKeyId()).isEqualTo("schlüssel-2026");
        assertThat(encryptor.decrypt(sealed)).isEqualTo(SECRET);
    }

    @Test
    void aRotatedEncryptorReadsOldDataAndWritesWithItsNewKey() {
        byte[] old = k1.encrypt(SECRET);
        AesGcmEncryptor rotated = AesGcmEncryptor.builder()
                .primaryKey("k2", KEY_2)
                .oldKey("k1", KEY_1)
                .build();

        byte[] fresh = rotated.encrypt(SECRET);

        assertThat(rotated.decrypt(old)).isEqualTo(SECRET);
        assertThat(rotated.primaryKeyId()).isEqualTo("k2");
        assertThat(keyId(fresh)).isEqualTo("k2");
        assertThat(rotated.decrypt(fresh)).isEqualTo(SECRET);
        assertThat(rotated).hasToString("AesGcmEncryptor[primary=k2, keys=[k1, k2]]");
    }

    @Test
    void anUnknownKeyIdNamesTheIdAndTheConfiguredOnes() {
        AesGcmEncryptor rotated = AesGcmEncryptor.builder().primaryKey("k2", KEY_2).oldKey("k0", bytes(32, 9)).build();
        byte[] fresh = rotated.encrypt(SECRET);

        assertThatThrownBy(() -> k1.decrypt(fresh))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("key id 'k2'")
                .hasMessageContaining("configured: [k1]")
                .hasMessageContaining("oldKey(\"k2\", ...)");
        assertThatThrownBy(() -> rotated.decrypt(k1.encrypt(SECRET)))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("key id 'k1'")
                .hasMessageContaining("configured: [k0, k2]");
    }

    @Test
    void aFailedDecryptionLeavesTheThreadsCipherReadyForTheNextUse() {
        AesGcmEncryptor k2 = AesGcmEncryptor.of("k2", KEY_2);
        byte[] tampered = k1.encrypt(SECRET);
        tampered[tampered.length - 1] ^= 0x01;
        assertThatThrownBy(() -> k1.decrypt(tampered)).isInstanceOf(DecryptionException.class);

        assertThat(k1.decrypt(k1.encrypt(SECRET))).isEqualTo(SECRET);
        assertThat(k2.decrypt(k2.encrypt(SECRET))).as("another key on the same thread").isEqualTo(SECRET);
        assertThat(k1.decrypt(k1.encrypt(SECRET))).isEqualTo(SECRET);
    }

    @Test
    void threadsEncryptingAndDecryptingAtOnceEachGetTheirOwnData() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int i = 0; i < 2_000; i++) {
                        byte[] data = (thread + ":" + i).getBytes(StandardCharsets.UTF_8);
                        assertThat(k1.decrypt(k1.encrypt(data))).isEqualTo(data);
                        checked++;
                    }
                    return checked;
                }));
            }
            for (java.util.concurrent.Future<Integer> result : results) assertThat(result.get()).isEqualTo(2_000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSameIdWithAnotherKeyDoesNotAuthenticate() {
        AesGcmEncryptor impostor = AesGcmEncryptor.of("k1", KEY_2);

        assertThatThrownBy(() -> impostor.decrypt(k1.encrypt(SECRET)))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("does not authenticate under key id 'k1'");
    }

    @Test
    void anyTamperedByteOfIvCiphertextOrTagIsDetected() {
        byte[] sealed = k1.encrypt(SECRET);
        int ivStart = HEADER + "k1".length();

        for (int position : new int[]{ivStart, ivStart + IV_BYTES, ivStart + IV_BYTES + 5, sealed.length - 1}) {
            byte[] tampered = sealed.clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> k1.decrypt(tampered))
                    .as("a flipped bit at byte %d", position)
                    .isInstanceOf(DecryptionException.class)
                    .hasMessageContaining("does not authenticate");
        }
    }

    @Test
    void aTamperedKeyIdIsAnUnknownKey() {
        byte[] tampered = k1.encrypt(SECRET);
        tampered[HEADER + 1] = '9';

        assertThatThrownBy(() -> k1.decrypt(tampered))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("key id 'k9'");
    }

    @Test
    void truncatedDataIsADecryptionException() {
        byte[] sealed = k1.encrypt(SECRET);

        for (int length : new int[]{0, 2, 3, HEADER, HEADER + 2, HEADER + 2 + IV_BYTES, HEADER + 2 + IV_BYTES + TAG_BYTES - 1}) {
            byte[] truncated = Arrays.copyOf(sealed, length);
            assertThatThrownBy(() -> k1.decrypt(truncated))
                    .as("the first %d bytes", length)
                    .isInstanceOf(DecryptionException.class);
        }
        assertThatThrownBy(() -> k1.decrypt(Arrays.copyOf(sealed, HEADER + 2)))
                .hasMessage("ciphertext is truncated");
        assertThatThrownBy(() -> k1.decrypt(Arrays.copyOf(sealed, sealed.length - 1)))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("does not authenticate");
    }

    @Test
    void garbageAndPlaintextAreDecryptionExceptions() {
        byte[] lengthPastTheEnd = {'D', 'O', 1, (byte) 200, 'k', '1'};

        assertThatThrownBy(() -> k1.decrypt(SECRET))
                .isInstanceOf(DecryptionException.class)
                .hasMessageContaining("not an AES-GCM ciphertext of Durable Ops")
                .hasMessageContaining("Encryptor.plaintext()");
        assertThatThrownBy(() -> k1.decrypt(bytes(64, 1)))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> k1.decrypt(lengthPastTheEnd))
                .isInstanceOf(DecryptionException.class)
                .hasMessage("ciphertext is truncated");
    }

    @Test
    void aKeyOfTheWrongLengthIsAConfigurationError() {
        String sixteenBytes = Base64.getEncoder().encodeToString(bytes(16, 1));

        assertThatThrownBy(() -> AesGcmEncryptor.of("k1", sixteenBytes))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key 'k1' has 16 bytes; AES-256 needs exactly 32");
        assertThatThrownBy(() -> AesGcmEncryptor.of("k1", bytes(33, 1)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("has 33 bytes");
    }

    @Test
    void aKeyThatIsNotBase64IsAConfigurationError() {
        assertThatThrownBy(() -> AesGcmEncryptor.of("k1", "not base64 at all!"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key 'k1' is not valid base64");
    }

    @Test
    void aBlankOrMissingKeyIsAConfigurationErrorThatHintsAtTheEnvironment() {
        assertThatThrownBy(() -> AesGcmEncryptor.of("k1", "  "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key 'k1' is empty (is its environment variable set?)");
        assertThatThrownBy(() -> AesGcmEncryptor.of("k1", (String) null))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key 'k1' is empty");
    }

    @Test
    void badKeyIdsAndBuilderMistakesAreConfigurationErrors() {
        assertThatThrownBy(() -> AesGcmEncryptor.of("", KEY_1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a key id must be 1 to 255 bytes");
        assertThatThrownBy(() -> AesGcmEncryptor.of("x".repeat(256), KEY_1))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a key id must be 1 to 255 bytes");
        assertThatThrownBy(() -> AesGcmEncryptor.builder().primaryKey("k1", KEY_1).oldKey("k1", KEY_2).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key id 'k1' is given twice");
        assertThatThrownBy(() -> AesGcmEncryptor.builder().oldKey("k1", KEY_1).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("needs a primary key");
    }

    @Test
    void theKeyIsCopiedSoLaterChangesToTheCallersArrayDoNotMatter() {
        byte[] key = Base64.getDecoder().decode(KEY_1);
        AesGcmEncryptor encryptor = AesGcmEncryptor.of("k1", key);
        Arrays.fill(key, (byte) 0);

        assertThat(k1.decrypt(encryptor.encrypt(SECRET))).isEqualTo(SECRET);
    }

    @Test
    void generatedKeysAreUsableAndDistinct() {
        String a = AesGcmEncryptor.generateKey();
        String b = AesGcmEncryptor.generateKey();

        assertThat(Base64.getDecoder().decode(a)).hasSize(32);
        assertThat(a).isNotEqualTo(b);
        AesGcmEncryptor encryptor = AesGcmEncryptor.of("generated", a);
        assertThat(encryptor.decrypt(encryptor.encrypt(SECRET))).isEqualTo(SECRET);
    }

    @Test
    void thePlaintextEncryptorIsTheIdentity() {
        Encryptor plaintext = Encryptor.plaintext();

        assertThat(plaintext.encrypt(SECRET)).isEqualTo(SECRET);
        assertThat(plaintext.decrypt(SECRET)).isEqualTo(SECRET);
        assertThat(Encryptor.plaintext()).isSameAs(plaintext).hasToString("Encryptor.plaintext()");
    }

    private static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    private static String keyId(byte[] sealed) {
        return new String(sealed, HEADER, Byte.toUnsignedInt(sealed[3]), StandardCharsets.UTF_8);
    }

    private static byte[] iv(byte[] sealed, String keyId) {
        int start = HEADER + keyId.getBytes(StandardCharsets.UTF_8).length;
        return Arrays.copyOfRange(sealed, start, start + IV_BYTES);
    }
}
