package io.durableops.core.admin;


/**
 * What a bulk action did: {@code changed} operations were acted on; {@code skipped} matched when the action began
 * but had changed state by the time their turn came (another operator, or the engine, got there first).
 */
public record BulkResult(BulkAction action, long changed, long skipped) {
}
