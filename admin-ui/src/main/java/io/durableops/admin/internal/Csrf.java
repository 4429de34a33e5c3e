package io.durableops.admin.internal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF tokens: an HMAC of what the request is bound to (its session, or the user of an HTTP Basic call) under a
 * secret made at start-up. A page embeds the token in its forms; scripts send it as {@code X-CSRF-Token}.
 */
final class Csrf {
    private final byte[] secret = new byte[32];

    Csrf() {
        new SecureRandom().nextBytes(secret);
    }

    String token(String binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(binding.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    boolean valid(String binding, String token) {
        if (token == null || token.isEmpty()) return false;
        return MessageDigest.isEqual(token(binding).getBytes(StandardCharsets.US_ASCII), token.getBytes(StandardCharsets.US_ASCII));
    }
}
