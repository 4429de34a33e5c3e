package io.durableops.core.admin;

/**
 * Hears how a bulk run goes, on the thread that runs it: once the eligible set is collected (before any operation is
 * changed, with {@code changed} and {@code skipped} zero), then after each operation. The counts only grow, and
 * {@code changed + skipped} reaches {@code eligible} when the run ends normally. An exception it throws ends the run
 * there: the operations acted on so far stay acted on (and audited), the rest are left alone.
 *
 * <pre>{@code
 * AtomicLong done = new AtomicLong();
 * admin.as("ann").retryAll(query, UUID.randomUUID(), (eligible, changed, skipped) -> done.set(changed + skipped));
 * }</pre>
 */
@FunctionalInterface
public interface BulkListener {
    /** Hears nothing. */
    BulkListener NONE = (eligible, changed, skipped) -> { };

    /**
     * @param eligible how many operations the run will try: those that matched among the action's statuses when it began
     * @param changed  how many it has acted on so far
     * @param skipped  how many it has left alone so far, because they changed state before their turn
     */
    void progress(long eligible, long changed, long skipped);
}
