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
 */
public final class PasswordHash {
    /** OWASP's recommendation for PBKDF2-HMAC-SHA256 (2023). */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    public static String hash(char[] password, int iterations) {
        if (iterations < 1000) throw new IllegalArgumentException("at least 1000 iterations, was " + iterations);
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + ":" + iterations + ":" + b64.encodeToString(salt) + ":" + b64.encodeToString(derive(password, salt, iterations));
    }

    /** Whether {@code password} matches {@code hash}; false for a malformed hash. Constant time in the comparison. */
    public static boolean verify(char[] password, String hash) {
        String[] parts = hash == null ? new String[0] : hash.split(":");
        if (parts.length != 4 || !PREFIX.equals(parts[0])) return false;
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, iterations));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Whether {@code hash} has the layout this class writes. */
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
