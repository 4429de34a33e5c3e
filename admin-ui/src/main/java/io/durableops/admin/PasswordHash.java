package io.durableops.admin;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Password hashes for {@link PasswordUsers}: PBKDF2 with HMAC-SHA256 (in the JDK, no dependency), a random 16-byte
 * salt, and the iteration count stored in the hash, {@code pbkdf2-sha256:600000:<salt>:<hash>}. Make one with
 * {@code java -cp durable-ops-admin-ui.jar io.durableops.admin.PasswordHash} (it asks for the password).
 *
 * <p>A hash weaker than {@link #MIN_ITERATIONS} iterations, with a salt shorter than 16 bytes or of one repeated byte
 * (an all-zero salt), or with a derived key other than 32 bytes is refused: {@link #weakness(String)} says why,
 * {@link PasswordUsers} refuses to load it and {@link #verify} never accepts a password against it.
 */
public final class PasswordHash {
    /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** The least accepted: OWASP's recommendation of 2021, so hashes made by its advice then still load. */
    public static final int MIN_ITERATIONS = 310_000;
    private static final int MAX_ITERATIONS = 100_000_000;
    private static final int SALT_BYTES = 16;
    private static final int KEY_BYTES = 32;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between " + MIN_ITERATIONS + " and " + MAX_ITERATIONS
                    + ", was " + iterations);
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(derive(password, salt, iterations));
    }

    /**
     * Whether {@code password} matches {@code hash}; false for a malformed or weak hash ({@link #weakness}). Constant
     * time in the comparison.
     */
    public static boolean verify(char[] password, String hash) {
        if (weakness(hash) != null) return false;
        String[] parts = hash.split(":");
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code hash} has the layout this class writes (whatever its strength). */
    public static boolean isWellFormed(String hash) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) return false;
        try {
            Integer.parseInt(parts[1]);
            Base64.getDecoder().decode(parts[2]);
            Base64.getDecoder().decode(parts[3]);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Why {@code hash} is not accepted, or null when it is: malformed, fewer than {@link #MIN_ITERATIONS} iterations
     * (or an absurd number), a salt under 16 bytes or of one repeated byte, a derived key that is not 32 bytes.
     */
    public static String weakness(String hash) {
        if (!isWellFormed(hash)) return "it is not a hash made by PasswordHash.hash(...) (pbkdf2-sha256:iterations:salt:hash)";
        String[] parts = hash.split(":");
        int iterations = Integer.parseInt(parts[1]);
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] key = Base64.getDecoder().decode(parts[3]);
        if (iterations < MIN_ITERATIONS) return "it has " + iterations + " iterations, fewer than the " + MIN_ITERATIONS + " required";
        if (iterations > MAX_ITERATIONS) return "it has " + iterations + " iterations, more than " + MAX_ITERATIONS;
        if (salt.length < SALT_BYTES) return "its salt has " + salt.length + " bytes, fewer than the " + SALT_BYTES + " required";
        boolean repeated = true;
        for (byte b : salt) repeated &= b == salt[0];
        if (repeated) return "its salt is one byte repeated (such as all zeros), not random";
        if (key.length != KEY_BYTES) return "its derived key has " + key.length + " bytes, not " + KEY_BYTES;
        return null;
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** Prints the hash of a password read from the console (or from standard input when there is no console). */
    public static void main(String[] args) throws IOException {
        Console console = System.console();
        char[] password;
        if (console != null) {
            password = console.readPassword("Password: ");
        } else {
            String line = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
            password = line.toCharArray();
        }
        if (password == null || password.length == 0) {
            System.err.println("no password given");
            System.exit(2);
        }
        System.out.println(hash(password));
        Arrays.fill(password, '\0');
    }
}
