package io.durableops.core.internal.admin;

import io.durableops.core.InvalidQueryException;
import io.durableops.core.admin.OperationSort;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The position after the last operation of a page, as an opaque URL-safe text: the order it pages, and the last row's
 * sort time (created or updated) and id, the two columns the list is ordered by. The next page starts strictly after it.
 */
public record Cursor(OperationSort sort, Instant at, UUID id) {
    /** Layout 1 (created, newest first) is still read: cursors handed out before sorting existed stay valid. */
    private static final String V1 = "1";
    private static final String V2 = "2";

    public Cursor(Instant createdAt, UUID id) {
        this(OperationSort.CREATED_DESC, createdAt, id);
    }

    /** The position after {@code row} in the order {@code sort}. */
    public static Cursor after(OperationSort sort, io.durableops.core.admin.OperationSummary row) {
        return new Cursor(sort, sort.byUpdate() ? row.updatedAt() : row.createdAt(), row.id().value());
    }

    public String encode() {
        String text = V2 + ":" + sort.name() + ":" + at.getEpochSecond() + ":" + at.getNano() + ":" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static Cursor decode(String text) {
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(text.trim()), StandardCharsets.UTF_8).split(":");
            if (p.length == 4 && V1.equals(p[0])) return new Cursor(instant(p[1], p[2]), UUID.fromString(p[3]));
            if (p.length != 5 || !V2.equals(p[0])) throw new IllegalArgumentException("unknown layout");
            return new Cursor(OperationSort.valueOf(p[1]), instant(p[2], p[3]), UUID.fromString(p[4]));
        } catch (RuntimeException e) {
            throw new InvalidQueryException("not a paging cursor: '" + abbreviate(text) + "'; use the nextCursor of a page as it was given");
        }
    }

    private static Instant instant(String seconds, String nanos) {
        return Instant.ofEpochSecond(Long.parseLong(seconds), Long.parseLong(nanos));
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
