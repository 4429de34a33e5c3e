package io.durableops.core.internal.admin;

import io.durableops.core.InvalidQueryException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last operation of a page, as an opaque URL-safe text: its creation time and id, the two
 * columns the list is ordered by. The next page starts strictly after it.
 */
public record Cursor(Instant createdAt, UUID id) {
    private static final String VERSION = "1";

    public String encode() {
        String text = VERSION + ":" + createdAt.getEpochSecond() + ":" + createdAt.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8).split(":");
            if (parts.length != 4 || !VERSION.equals(parts[0])) throw new IllegalArgumentException("unknown layout");
            return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])), UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw new InvalidQueryException("not a paging cursor: '" + abbreviate(text) + "'; use the nextCursor of a page as it was given");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
