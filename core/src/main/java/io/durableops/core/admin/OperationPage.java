package io.durableops.core.admin;

import java.util.List;
import java.util.Optional;

/**
 * One page of operations, newest first. {@code nextCursor} is present when more may follow: pass it to
 * {@link OperationQuery.Builder#cursor(String)} for the next page. Keyset paging: a page never repeats or skips
 * an operation because others were created or changed meanwhile, and it costs the same on page 1 and page 2,000.
 *
 * <p>{@code messageScan} is present for a query with a {@linkplain OperationQuery.Builder#errorMessage message search}
 * only: how far the page read (see {@link MessageScan}); its cursor then continues the scan.
 */
public record OperationPage(List<OperationSummary> items, Optional<String> nextCursor, Optional<MessageScan> messageScan) {
    public OperationPage {
        items = List.copyOf(items);
        java.util.Objects.requireNonNull(nextCursor, "nextCursor");
        java.util.Objects.requireNonNull(messageScan, "messageScan");
    }

    /** A page of a query without a message search. */
    public OperationPage(List<OperationSummary> items, Optional<String> nextCursor) {
        this(items, nextCursor, Optional.empty());
    }
}
