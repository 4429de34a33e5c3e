package io.durableops.core.admin;

import io.durableops.core.InvalidQueryException;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far one page of a search by error message ({@link OperationQuery.Builder#errorMessage}) read. Messages are
 * stored encrypted, so no SQL can look into them: the page reads, in the query's order and by keyset, the operations
 * that match the other filters and whose current attempt has a recorded error (the candidates), decrypts the message of
 * each one's last error and keeps those that contain the text (ignoring case; a {@code *} stands for any text; the whole
 * message, not only its first line; a message that cannot be decrypted matches nothing). It stops when the page is
 * full, when the candidates run out, or when it has read {@link OperationQuery#messageScan()} of them (by default
 * {@value #DEFAULT_BOUND}, at most {@value #MAX_BOUND}): then {@link #boundReached()} is true. It also stops, between
 * two reads of candidates, once it has spent {@link #TIME_LIMIT} (by the engine's clock): then {@link #timeLimitReached()}
 * is true. Either way the page may hold fewer matches than its limit or none, and its {@link OperationPage#nextCursor()}
 * continues the scan after the last candidate read (not after the last match), so no candidate is read twice or passed
 * over. A page always reads at least one batch of candidates, so each page makes progress.
 *
 * <p>A message search cannot be counted: {@link OperationAdmin#count}, {@link OperationAdmin#countByStatus},
 * {@link OperationAdmin#countEligible}, {@link OperationAdmin#failureGroups} and the bulk actions of
 * {@link OperationAdmin.Operator} throw {@link InvalidQueryException} for it, before reading anything (an exact count
 * would decrypt every candidate; a bulk action must act exactly on what it said). Select the rows and act on the
 * selection ({@link OperationQuery.Builder#ids}) instead.
 *
 * @param scanned      how many candidates this page read (and decrypted the last message of)
 * @param boundReached whether it stopped because it read as many as the bound allows, rather than because the page was
 *                     full or no candidate was left
 * @param scannedTo    the sort time (created or updated, per {@link OperationQuery#sort()}) of the last candidate read;
 *                     empty when none was read
 * @param timeLimitReached whether it stopped because it had spent {@link #TIME_LIMIT} while candidates remained
 */
public record MessageScan(int scanned, boolean boundReached, Optional<Instant> scannedTo, boolean timeLimitReached) {
    /** How long a page of a message search reads candidates before it stops and offers to continue. */
    public static final Duration TIME_LIMIT = Duration.ofMillis(100);
    /** The scan bound of a query that does not set one. */
    public static final int DEFAULT_BOUND = 2_000;
    /** The largest scan bound a query may set. */
    public static final int MAX_BOUND = 5_000;

    public MessageScan {
        if (scanned < 0) throw new IllegalArgumentException("scanned is at least 0, was " + scanned);
        java.util.Objects.requireNonNull(scannedTo, "scannedTo");
        if (boundReached && timeLimitReached) throw new IllegalArgumentException("a scan stops for one reason");
    }

    /** A scan that did not stop for its time limit. */
    public MessageScan(int scanned, boolean boundReached, Optional<Instant> scannedTo) {
        this(scanned, boundReached, scannedTo, false);
    }

    /** Whether it stopped before the page was full while candidates remained: its cursor continues the scan. */
    public boolean stoppedEarly() {
        return boundReached || timeLimitReached;
    }

    /** {@code max} if it is a scan bound a query may set. */
    static int checkedBound(int max) {
        if (max < 1 || max > MAX_BOUND) throw new InvalidQueryException("a message scan reads 1 to " + MAX_BOUND + " operations, was " + max);
        return max;
    }
}
