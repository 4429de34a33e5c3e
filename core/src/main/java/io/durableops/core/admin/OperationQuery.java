package io.durableops.core.admin;

import io.durableops.core.Flow;
import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.Results;
import io.durableops.core.internal.admin.Cursor;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which operations to list, count or act on: every filter given must match (an empty query matches all). Built with
 * {@link #builder()}, which rejects malformed values with an {@link InvalidQueryException} that says what is accepted.
 * Results are ordered by {@link #sort()} (newest first by default) and paged by an opaque cursor.
 *
 * <p>Filters: statuses (any of), definition name, current step, created in {@code [createdFrom, createdBefore)},
 * operation id (one, a set of up to {@value #MAX_LIMIT}, or a prefix), idempotency key, search attribute, the class of
 * the last error, a text in its message, the bulk run that changed them. In the definition, step, idempotency key and error class filters a {@code *}
 * stands for any text ({@code billing-*}); without one the text must match exactly. A {@linkplain Builder#errorMessage
 * message search} decrypts within a bound ({@link MessageScan}): it is listed, never counted, grouped or acted on in bulk.
 */
public final class OperationQuery {
    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    private static final int MAX_NAME = 200;

    /** The filters, order, limit and cursor as one value: equality and hashing come with it. */
    private record State(Set<OperationStatus> statuses, String definition, Integer definitionVersion, OperationId parentId,
                         String currentStep, Instant createdFrom, Instant createdBefore, OperationId id, String idempotencyKey,
                         String attributeName, String attributeValue, String errorClass, Set<OperationId> ids, String idPrefix,
                         String errorMessage, java.util.UUID bulkRun, OperationSort sort, int limit, int messageScan,
                         String cursor) {
    }

    private final State s;

    private OperationQuery(Builder b) {
        this.s = new State(b.statuses.isEmpty() ? Set.of() : Set.copyOf(b.statuses), b.definition, b.definitionVersion, b.parentId,
                b.currentStep, b.createdFrom, b.createdBefore, b.id, b.idempotencyKey, b.attributeName, b.attributeValue,
                b.errorClass, Set.copyOf(b.ids), b.idPrefix, b.errorMessage, b.bulkRun, b.sort, b.limit, b.messageScan, b.cursor);
    }

    /** Every operation, first page. */
    public static OperationQuery all() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this query's filters, limit and cursor. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.statuses.addAll(s.statuses);
        b.definition = s.definition;
        b.definitionVersion = s.definitionVersion;
        b.parentId = s.parentId;
        b.currentStep = s.currentStep;
        b.createdFrom = s.createdFrom;
        b.createdBefore = s.createdBefore;
        b.id = s.id;
        b.idempotencyKey = s.idempotencyKey;
        b.attributeName = s.attributeName;
        b.attributeValue = s.attributeValue;
        b.errorClass = s.errorClass;
        b.ids.addAll(s.ids);
        b.idPrefix = s.idPrefix;
        b.bulkRun = s.bulkRun;
        b.errorMessage = s.errorMessage;
        b.sort = s.sort;
        b.limit = s.limit;
        b.messageScan = s.messageScan;
        b.cursor = s.cursor;
        return b;
    }

    /** The same filters, starting at {@code cursor} (null for the first page). */
    public OperationQuery withCursor(String cursor) {
        return toBuilder().cursor(cursor).build();
    }

    /** Empty means any status. */
    public Set<OperationStatus> statuses() {
        return s.statuses;
    }

    public Optional<String> definition() {
        return Optional.ofNullable(s.definition);
    }

    /** The parent filter, if set. */
    public Optional<OperationId> parentId() {
        return Optional.ofNullable(s.parentId);
    }

    /** The definition version filter, if set. */
    public Optional<Integer> definitionVersion() {
        return Optional.ofNullable(s.definitionVersion);
    }

    public Optional<String> currentStep() {
        return Optional.ofNullable(s.currentStep);
    }

    /** Inclusive lower bound of the creation time. */
    public Optional<Instant> createdFrom() {
        return Optional.ofNullable(s.createdFrom);
    }

    /** Exclusive upper bound of the creation time. */
    public Optional<Instant> createdBefore() {
        return Optional.ofNullable(s.createdBefore);
    }

    public Optional<OperationId> id() {
        return Optional.ofNullable(s.id);
    }

    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(s.idempotencyKey);
    }

    /** A declared search attribute and the value it must have (see {@link Flow#searchAttributes}): name, value. */
    public Optional<java.util.Map.Entry<String, String>> searchAttribute() {
        return s.attributeName == null ? Optional.empty() : Optional.of(java.util.Map.entry(s.attributeName, s.attributeValue));
    }

    /** The class of the last error of the current attempt (exact, or a pattern with {@code *}), if filtered. */
    public Optional<String> errorClass() {
        return Optional.ofNullable(s.errorClass);
    }

    /** The selected operations; empty means no selection. */
    public Set<OperationId> ids() {
        return s.ids;
    }

    /** The start of the operation id (lower-case hex digits and dashes), if filtered. */
    public Optional<String> idPrefix() {
        return Optional.ofNullable(s.idPrefix);
    }

    /** The bulk run whose changed operations to match (see {@link BulkResult#runId()}), if filtered. */
    public Optional<java.util.UUID> bulkRun() {
        return Optional.ofNullable(s.bulkRun);
    }

    /** The text searched for in the last error's message, if any. */
    public Optional<String> errorMessage() {
        return Optional.ofNullable(s.errorMessage);
    }

    /** How many operations a page of a message search reads at most. */
    public int messageScan() {
        return s.messageScan;
    }

    public OperationSort sort() {
        return s.sort;
    }

    public int limit() {
        return s.limit;
    }

    public Optional<String> cursor() {
        return Optional.ofNullable(s.cursor);
    }

    /** Whether any filter is set (the order, limit, scan bound and cursor aside). */
    public boolean isFiltered() {
        return !s.equals(builder().sort(s.sort).limit(s.limit).messageScan(s.messageScan).cursor(s.cursor).build().s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OperationQuery q && s.equals(q.s);
    }

    @Override
    public int hashCode() {
        return s.hashCode();
    }

    /** The filters in words, for audit entries and confirmations: {@code status in [FAILED], definition = x}. */
    @Override
    public String toString() {
        return io.durableops.core.internal.admin.QueryText.describe(this);
    }

    /** Collects and validates filters. A null or blank text clears that filter. */
    public static final class Builder {
        private final Set<OperationStatus> statuses = EnumSet.noneOf(OperationStatus.class);
        private String definition;
        private Integer definitionVersion;
        private OperationId parentId;
        private String currentStep;
        private Instant createdFrom;
        private Instant createdBefore;
        private OperationId id;
        private String idempotencyKey;
        private String attributeName;
        private String attributeValue;
        private String errorClass;
        private final Set<OperationId> ids = new java.util.LinkedHashSet<>();
        private String idPrefix;
        private java.util.UUID bulkRun;
        private String errorMessage;
        private OperationSort sort = OperationSort.CREATED_DESC;
        private int limit = DEFAULT_LIMIT;
        private int messageScan = MessageScan.DEFAULT_BOUND;
        private String cursor;

        private Builder() {
        }

        /** Matches operations in any of these statuses; none given means any status. Replaces earlier statuses. */
        public Builder statuses(OperationStatus... statuses) {
            return statuses(Arrays.asList(statuses));
        }

        public Builder statuses(Collection<OperationStatus> statuses) {
            this.statuses.clear();
            for (OperationStatus status : statuses) this.statuses.add(Objects.requireNonNull(status, "status"));
            return this;
        }

        public Builder definition(String definition) {
            this.definition = name(definition, "definition");
            return this;
        }

        /** Matches the children of this operation (those it started, see {@link OperationView#parentId()}); null clears it. */
        public Builder parentId(OperationId parent) {
            this.parentId = parent;
            return this;
        }

        /** Matches operations that run on this version of their definition; null clears the filter. */
        public Builder definitionVersion(Integer version) {
            if (version != null && version < 1) throw new InvalidQueryException("a definition version is at least 1, was " + version);
            this.definitionVersion = version;
            return this;
        }

        /** Matches operations whose current step (where they are, or where they stopped) has this name. */
        public Builder currentStep(String step) {
            this.currentStep = name(step, "step");
            return this;
        }

        /** Created at or after {@code from}. */
        public Builder createdFrom(Instant from) {
            this.createdFrom = from;
            return this;
        }

        /** Created before {@code before}. */
        public Builder createdBefore(Instant before) {
            this.createdBefore = before;
            return this;
        }

        public Builder id(OperationId id) {
            this.id = id;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = name(key, "idempotency key");
            return this;
        }

        /**
         * Only operations whose declared search attribute {@code name} has {@code value} (compared as text, as
         * {@link OperationScheduler#findBySearchAttribute} does). A blank name clears the filter.
         */
        public Builder searchAttribute(String name, String value) {
            this.attributeName = name(name, "search attribute name");
            if (attributeName != null && (value == null || value.isBlank())) {
                throw new InvalidQueryException("search attribute '" + attributeName + "' needs a value to filter on");
            }
            this.attributeValue = attributeName == null ? null : name(value, "search attribute value");
            return this;
        }

        /**
         * Only operations whose current attempt's last error is of this class: exact ({@code java.io.IOException}) or
         * a pattern ({@code java.io.*}); the class is stored in clear (for the message, see {@link #errorMessage}).
         */
        public Builder errorClass(String errorClass) {
            this.errorClass = name(errorClass, "error class");
            return this;
        }

        /** Only these operations (a selection), at most {@value #MAX_LIMIT}; none or null clears it. */
        public Builder ids(Collection<OperationId> ids) {
            this.ids.clear();
            if (ids == null) return this;
            for (OperationId id : ids) this.ids.add(Objects.requireNonNull(id, "id"));
            if (this.ids.size() > MAX_LIMIT) {
                throw new InvalidQueryException("a selection is at most " + MAX_LIMIT + " operations, was " + this.ids.size());
            }
            return this;
        }

        /** Only operations whose id starts with {@code prefix} (hex digits and dashes, as ids are written). */
        public Builder idPrefix(String prefix) {
            String p = name(prefix, "id prefix");
            if (p != null && !p.matches("[0-9a-fA-F-]{1,36}")) {
                throw new InvalidQueryException("an id prefix is 1 to 36 hex digits and dashes, was '" + p + "'");
            }
            this.idPrefix = p == null ? null : p.toLowerCase(java.util.Locale.ROOT);
            return this;
        }

        /**
         * Only the operations the bulk run {@code runId} changed (each audited with the run's id), in whatever status
         * they are in now; null clears it. An unknown run matches none.
         */
        public Builder bulkRun(java.util.UUID runId) {
            this.bulkRun = runId;
            return this;
        }

        /** Only operations whose last error's message contains {@code text}, any case, {@code *} any text ({@link MessageScan}). */
        public Builder errorMessage(String text) {
            this.errorMessage = name(text, "error message");
            return this;
        }

        /** The most operations a message search's page reads, 1 to {@value MessageScan#MAX_BOUND} ({@link MessageScan}). */
        public Builder messageScan(int max) {
            this.messageScan = MessageScan.checkedBound(max);
            return this;
        }

        /** The order, {@link OperationSort#CREATED_DESC} by default; a cursor continues the order it was made for. */
        public Builder sort(OperationSort sort) {
            this.sort = Objects.requireNonNull(sort, "sort");
            return this;
        }

        /** Page size, 1 to {@value #MAX_LIMIT}; defaults to {@value #DEFAULT_LIMIT}. */
        public Builder limit(int limit) {
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new InvalidQueryException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
            }
            this.limit = limit;
            return this;
        }

        /** Continues after the page that returned this cursor; null or blank for the first page. */
        public Builder cursor(String cursor) {
            if (cursor == null || cursor.isBlank()) {
                this.cursor = null;
            } else {
                Cursor.decode(cursor); // throws InvalidQueryException when malformed
                this.cursor = cursor.trim();
            }
            return this;
        }

        public OperationQuery build() {
            if (createdFrom != null && createdBefore != null && !createdFrom.isBefore(createdBefore)) {
                throw new InvalidQueryException("the created-at range is empty: from " + createdFrom
                        + " is not before " + createdBefore);
            }
            if (cursor != null && Cursor.decode(cursor).sort() != sort) {
                throw new InvalidQueryException("this cursor continues the list sorted by " + Cursor.decode(cursor).sort()
                        + ", not by " + sort + "; start again from the first page");
            }
            return new OperationQuery(this);
        }

        private static String name(String value, String what) {
            if (value == null || value.isBlank()) return null;
            String trimmed = value.trim();
            if (trimmed.length() > MAX_NAME) {
                throw new InvalidQueryException(("aeiou".indexOf(what.charAt(0)) >= 0 ? "an " : "a ") + what + " filter is at most " + MAX_NAME + " characters, was "
                        + trimmed.length());
            }
            return trimmed;
        }
    }
}
