package io.durableops.core.admin;

import java.util.List;
import java.util.Optional;

/**
 * One page of operations, newest first. {@code nextCursor} is present when more may follow: pass it to
 * {@link OperationQuery.Builder#cursor(String)} for the next page. Keyset paging: a page never repeats or skips
 * an operation because others were created or changed meanwhile, and it costs the same on page 1 and page 2,000.
 */
public record OperationPage(List<OperationSummary> items, Optional<String> nextCursor) {
    public OperationPage {
        items = List.copyOf(items);
    }
}
