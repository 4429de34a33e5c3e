package io.durableops.core.internal.admin;

import io.durableops.core.admin.OperationQuery;

import java.util.TreeSet;

/** A query's filters in words ({@link OperationQuery#toString()}), for audit entries and confirmations. */
public final class QueryText {
    private QueryText() {
    }

    /** {@code status in [FAILED], definition = x}, or {@code all operations}. */
    public static String describe(OperationQuery q) {
        StringBuilder t = new StringBuilder();
        if (!q.statuses().isEmpty()) t.append(", status in ").append(new TreeSet<>(q.statuses()));
        q.definition().ifPresent(v -> t.append(", definition = ").append(v));
        q.definitionVersion().ifPresent(v -> t.append(", version = ").append(v));
        q.parentId().ifPresent(v -> t.append(", parent = ").append(v));
        q.currentStep().ifPresent(v -> t.append(", step = ").append(v));
        q.createdFrom().ifPresent(v -> t.append(", created from ").append(v));
        q.createdBefore().ifPresent(v -> t.append(", created before ").append(v));
        q.id().ifPresent(v -> t.append(", id = ").append(v));
        q.idempotencyKey().ifPresent(v -> t.append(", idempotency key = ").append(v));
        q.searchAttribute().ifPresent(a -> t.append(", ").append(a.getKey()).append(" = ").append(a.getValue()));
        q.errorClass().ifPresent(v -> t.append(", error class = ").append(v));
        if (!q.ids().isEmpty()) t.append(", one of ").append(q.ids().size()).append(" selected");
        q.idPrefix().ifPresent(v -> t.append(", id starts with ").append(v));
        q.bulkRun().ifPresent(v -> t.append(", changed by bulk run ").append(v));
        // why not the text: the words of a query are audited and may be logged
        q.errorMessage().ifPresent(v -> t.append(", error message contains a text"));
        return t.length() == 0 ? "all operations" : t.substring(2);
    }
}
