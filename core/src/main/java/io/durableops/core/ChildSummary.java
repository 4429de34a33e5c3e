package io.durableops.core;

import java.util.Optional;

/**
 * What a wait for children ({@code awaitChildren}) stored about one child operation, read with
 * {@link StepContext#children(String)}: the typed form of the global's {@code {id, definition, status, results,
 * failureReason}} entries.
 *
 * @param id            the child operation
 * @param definition    its definition's name
 * @param status        how it stood when the wait ended: COMPLETED, FAILED, EXPIRED, CANCELLED, or RUNNING for a
 *                      child not needed ({@code anyChild()}, {@code atLeast(n)})
 * @param results       its results if it COMPLETED (empty otherwise): {@code results().get("total", Long.class)}
 * @param failureReason why it did not complete, if it said
 */
public record ChildSummary(OperationId id, String definition, OperationStatus status, Data results, Optional<String> failureReason) {
}
