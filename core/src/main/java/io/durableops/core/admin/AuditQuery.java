package io.durableops.core.admin;

import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which entries of the audit trail to read: every filter given must match (an empty query matches all). Built with
 * {@link #builder()}, which rejects malformed values with an {@link InvalidQueryException} that says what is
 * accepted. Entries come newest first and are paged with {@link Builder#before(long)}.
 *
 * <p>Filters: actor, action (both exact), operation id, client address (exact), occurred in
 * {@code [occurredFrom, occurredBefore)}.
 */
public final class AuditQuery {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;
    private static final int MAX_NAME = 200;

    private final String actor;
    private final String action;
    private final OperationId operationId;
    private final String clientAddress;
    private final Instant occurredFrom;
    private final Instant occurredBefore;
    private final Long before;
    private final int limit;

    private AuditQuery(Builder b) {
        this.actor = b.actor;
        this.action = b.action;
        this.operationId = b.operationId;
        this.clientAddress = b.clientAddress;
        this.occurredFrom = b.occurredFrom;
        this.occurredBefore = b.occurredBefore;
        this.before = b.before;
        this.limit = b.limit;
    }

    /** The newest entries, first page. */
    public static AuditQuery all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Optional<String> actor() {
        return Optional.ofNullable(actor);
    }

    public Optional<String> action() {
        return Optional.ofNullable(action);
    }

    public Optional<OperationId> operationId() {
        return Optional.ofNullable(operationId);
    }

    public Optional<String> clientAddress() {
        return Optional.ofNullable(clientAddress);
    }

    /** Inclusive lower bound of the time of the entry. */
    public Optional<Instant> occurredFrom() {
        return Optional.ofNullable(occurredFrom);
    }

    /** Exclusive upper bound of the time of the entry. */
    public Optional<Instant> occurredBefore() {
        return Optional.ofNullable(occurredBefore);
    }

    /** Only entries with a sequence number below this one (the {@code nextBefore} of the previous page). */
    public Optional<Long> before() {
        return Optional.ofNullable(before);
    }

    public int limit() {
        return limit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditQuery q && Objects.equals(actor, q.actor) && Objects.equals(action, q.action)
                && Objects.equals(operationId, q.operationId) && Objects.equals(clientAddress, q.clientAddress)
                && Objects.equals(occurredFrom, q.occurredFrom) && Objects.equals(occurredBefore, q.occurredBefore)
                && Objects.equals(before, q.before) && limit == q.limit;
    }

    @Override
    public int hashCode() {
        return Objects.hash(actor, action, operationId, clientAddress, occurredFrom, occurredBefore, before, limit);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (actor != null) s.append(", actor = ").append(actor);
        if (action != null) s.append(", action = ").append(action);
        if (operationId != null) s.append(", operation = ").append(operationId);
        if (clientAddress != null) s.append(", client = ").append(clientAddress);
        if (occurredFrom != null) s.append(", from ").append(occurredFrom);
        if (occurredBefore != null) s.append(", before ").append(occurredBefore);
        return s.length() == 0 ? "all entries" : s.substring(2);
    }

    /** Collects and validates filters. A null or blank text clears that filter. */
    public static final class Builder {
        private String actor;
        private String action;
        private OperationId operationId;
        private String clientAddress;
        private Instant occurredFrom;
        private Instant occurredBefore;
        private Long before;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        public Builder actor(String actor) {
            this.actor = text(actor, "actor");
            return this;
        }

        /** Such as {@code retry}, {@code sign-in-failed} or {@code denied}. */
        public Builder action(String action) {
            this.action = text(action, "action");
            return this;
        }

        public Builder operationId(OperationId id) {
            this.operationId = id;
            return this;
        }

        public Builder clientAddress(String address) {
            this.clientAddress = text(address, "client address");
            return this;
        }

        public Builder occurredFrom(Instant from) {
            this.occurredFrom = from;
            return this;
        }

        public Builder occurredBefore(Instant before) {
            this.occurredBefore = before;
            return this;
        }

        /** Continues a page: only entries older than the one with this sequence number. */
        public Builder before(long sequence) {
            if (sequence < 1) throw new InvalidQueryException("before must be a sequence number of 1 or more, was " + sequence);
            this.before = sequence;
            return this;
        }

        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidQueryException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            this.limit = limit;
            return this;
        }

        public AuditQuery build() {
            if (occurredFrom != null && occurredBefore != null && !occurredFrom.isBefore(occurredBefore)) {
                throw new InvalidQueryException("the time range is empty: from " + occurredFrom + " is not before " + occurredBefore);
            }
            return new AuditQuery(this);
        }

        private static String text(String value, String name) {
            if (value == null || value.isBlank()) return null;
            String v = value.strip();
            if (v.length() > MAX_NAME) {
                throw new InvalidQueryException(name + " must be at most " + MAX_NAME + " characters, was " + v.length());
            }
            return v;
        }
    }
}
