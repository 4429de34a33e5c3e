package io.durableops.core.internal.admin;

import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationSort;
import io.durableops.core.internal.store.Dialect;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The WHERE clause of a query on {@code durable_operations o}: one predicate per filter, each with its bound
 * parameters. A new filter (such as a search attribute, as an {@code EXISTS} on its own table) is one more predicate.
 */
final class Where {
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps, int index) throws SQLException;
    }

    private final List<String> predicates = new ArrayList<>();
    private final List<Binder> binders = new ArrayList<>();
    private final Dialect dialect;

    private Where(Dialect dialect) {
        this.dialect = dialect;
    }

    /**
     * The query's filters. {@code withStatus} false leaves its status filter out (for counts per status);
     * {@code onlyStatuses}, when not null, narrows the statuses further (for bulk actions).
     */
    static Where of(Dialect dialect, OperationQuery q, boolean withStatus, Set<OperationStatus> onlyStatuses) {
        Where w = new Where(dialect);
        Set<OperationStatus> statuses = EnumSet.allOf(OperationStatus.class);
        boolean filtered = false;
        if (withStatus && !q.statuses().isEmpty()) {
            statuses.retainAll(q.statuses());
            filtered = true;
        }
        if (onlyStatuses != null) {
            statuses.retainAll(onlyStatuses);
            filtered = true;
        }
        if (filtered) {
            if (statuses.isEmpty()) {
                w.predicates.add("1 = 0");
            } else {
                w.predicates.add("o.status IN (" + String.join(", ", statuses.stream().map(s -> "?").toList()) + ")");
                for (OperationStatus s : statuses) w.binders.add((ps, i) -> ps.setString(i, s.name()));
            }
        }
        q.definition().ifPresent(d -> w.text("o.definition", d));
        q.definitionVersion().ifPresent(v -> w.add("o.definition_version = ?", (ps, i) -> ps.setInt(i, v)));
        q.parentId().ifPresent(p -> w.add("o.parent_id = ?", (ps, i) -> ps.setString(i, p.toString())));
        q.currentStep().ifPresent(s -> w.text("o.current_step", s));
        // the database keeps microseconds: a bound with nanoseconds is moved to the microsecond that keeps its meaning
        q.createdFrom().map(t -> t.truncatedTo(ChronoUnit.MICROS))
                .ifPresent(t -> w.add("o.created_at >= ?", (ps, i) -> AdminStore.setInstant(ps, i, t)));
        q.createdBefore().map(t -> t.truncatedTo(ChronoUnit.MICROS).equals(t) ? t : t.truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS))
                .ifPresent(t -> w.add("o.created_at < ?", (ps, i) -> AdminStore.setInstant(ps, i, t)));
        q.id().ifPresent(id -> w.add("o.id = ?", (ps, i) -> ps.setString(i, id.toString())));
        q.idempotencyKey().ifPresent(k -> w.text("o.idempotency_key", k));
        q.idPrefix().ifPresent(p -> w.add("o.id LIKE ? ESCAPE '!'", (ps, i) -> ps.setString(i, p + "%")));
        if (!q.ids().isEmpty()) {
            w.predicates.add("o.id IN (" + String.join(", ", q.ids().stream().map(x -> "?").toList()) + ")");
            for (var id : q.ids()) w.binders.add((ps, i) -> ps.setString(i, id.toString()));
        }
        // the operations a bulk run changed: its audit entries, read from the (bulk_run, operation_id) index alone
        q.bulkRun().ifPresent(r -> w.add("o.id IN (SELECT ba.operation_id FROM durable_audit ba WHERE ba.bulk_run = ?)",
                (ps, i) -> ps.setString(i, r.toString())));
        // why IN rather than a correlated EXISTS: the class's index finds the few attempts, instead of one probe per operation;
        // why also "o.id IN" (implied by the first): it lets every database start from those attempts and reach the operations
        // by primary key, where the first alone scans every operation of a status (EXPLAIN at 100,000: 690 ms on H2, 1.2 s on
        // MariaDB for a count of COMPLETED; 66 and 55 ms with it)
        q.errorClass().ifPresent(e -> {
            Dialect.Match match = w.match("ea.last_error_class", e);
            w.add("o.id IN (SELECT ea.operation_id FROM durable_attempts ea WHERE " + match.sql() + ")", match.values());
            w.add("o.current_attempt_id IN (SELECT ea.id FROM durable_attempts ea WHERE " + match.sql() + ")", match.values());
        });
        // a message search's candidates: the SQL keeps those with a recorded error, MessageSearch reads their messages
        if (q.errorMessage().isPresent()) {
            w.predicates.add("EXISTS (SELECT 1 FROM durable_attempt_errors me WHERE me.attempt_id = o.current_attempt_id)");
        }
        // why IN rather than a correlated EXISTS: H2 probes EXISTS once per operation (1.3 s at 100,000), and reads an IN from the
        // attribute's index then the operations by primary key (12 ms); MariaDB and PostgreSQL plan both as the same semi-join
        q.searchAttribute().ifPresent(a -> {
            w.add("o.id IN (SELECT s.operation_id FROM durable_search_attributes s WHERE s.name = ? AND s.attr_value = ?)",
                    (ps, i) -> ps.setString(i, a.getKey()));
            w.binders.add((ps, i) -> ps.setString(i, a.getValue()));
        });
        return w;
    }

    /** A text filter (see {@link #match}). */
    private void text(String column, String value) {
        Dialect.Match match = match(column, value);
        add(match.sql(), match.values());
    }

    /** {@code column} against a filter's text: equal, or with {@code *} the dialect's {@link Dialect#like}. */
    private Dialect.Match match(String column, String value) {
        return value.indexOf('*') < 0 ? new Dialect.Match(column + " = ?", List.of(value)) : dialect.like(column, value);
    }

    /** The sort column of an order. */
    static String column(OperationSort sort) {
        return sort.byUpdate() ? "o.updated_at" : "o.created_at";
    }

    /** The ORDER BY of an order: its time column, then id, both in its direction. */
    static String orderBy(OperationSort sort) {
        String dir = sort.descending() ? " DESC" : " ASC";
        return " ORDER BY " + column(sort) + dir + ", o.id" + dir;
    }

    /** Strictly after {@code cursor} in its order (its time column, then id). */
    Where after(Cursor cursor) {
        Instant at = cursor.at();
        String id = cursor.id().toString();
        String col = column(cursor.sort());
        String le = cursor.sort().descending() ? " <= ?" : " >= ?";
        String lt = cursor.sort().descending() ? " < ?" : " > ?";
        // why this shape rather than (a < ? OR (a = ? AND b < ?)): the leading "<=" is a plain index range for MariaDB
        predicates.add(col + le + " AND (" + col + lt + " OR o.id" + lt + ")");
        binders.add((ps, i) -> AdminStore.setInstant(ps, i, at));
        binders.add((ps, i) -> AdminStore.setInstant(ps, i, at));
        binders.add((ps, i) -> ps.setString(i, id));
        return this;
    }

    private void add(String predicate, Binder binder) {
        predicates.add(predicate);
        binders.add(binder);
    }

    private void add(String predicate, List<String> values) {
        predicates.add(predicate);
        for (String v : values) binders.add((ps, i) -> ps.setString(i, v));
    }

    String sql() {
        return predicates.isEmpty() ? "" : " WHERE " + String.join(" AND ", predicates);
    }

    /** Binds every parameter from {@code first}; returns the next free index. */
    int bind(PreparedStatement ps, int first) throws SQLException {
        int index = first;
        for (Binder binder : binders) binder.bind(ps, index++);
        return index;
    }
}
