package io.durableops.core.internal;

import io.durableops.core.ConfigurationException;

import java.time.Duration;
import java.time.Instant;

/**
 * The sizes and ranges Durable Ops accepts, each one it can store and read back on every database (docs/concepts.md,
 * "Limits"). One place, so that the engine, the admin API and the UI state the same numbers.
 */
public final class Limits {
    /** Names: definitions, steps, signals, idempotency keys, actors. */
    public static final int NAME = 200;
    /** Reasons and messages stored in clear: a failure reason, an operator's reason, an audit detail. */
    public static final int REASON = 2000;
    /**
     * One JSON document as written: an operation's input, its globals, a step's arguments, its results, a signal's
     * payload. why 4 MiB: a completion writes two of them in one statement, which stays under MariaDB's default
     * {@code max_allowed_packet} of 16 MiB with room for the encryption and the rest of the row.
     */
    public static final int DOCUMENT_BYTES = 4 << 20;
    /**
     * An error's message and stack trace as stored (each, in characters): longer ones are cut, so that recording a
     * failure never fails for its size (an attempt whose failure could not be recorded would run again and again).
     */
    public static final int ERROR_TEXT = 64 * 1024;
    /** How deeply a document may nest: what Jackson reads back by default. */
    public static final int DEPTH = 1000;
    /** The latest instant a timestamp column holds on every database. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");
    /** The earliest instant Durable Ops stores. */
    public static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private Limits() {
    }

    /** {@code reason}, cut to {@link #REASON} characters with "..." when longer: reasons produced at run time. */
    public static String truncate(String reason) {
        return reason == null || reason.length() <= REASON ? reason : reason.substring(0, REASON - 3) + "...";
    }

    /** {@code text}, cut to {@code most} characters with a note of how much was left out. */
    public static String cut(String text, int most) {
        if (text == null || text.length() <= most) return text;
        String note = "... [" + (text.length() - most) + " more characters not stored]";
        return text.substring(0, Math.max(0, most - note.length())) + note;
    }

    /** {@code reason} as given, or an IllegalArgumentException that states the limit: reasons a caller chose. */
    public static String requireReason(String reason, String what) {
        if (reason == null || reason.isBlank()) throw new IllegalArgumentException(what + " needs a reason");
        if (reason.length() > REASON) {
            throw new IllegalArgumentException(what + ": a reason is at most " + REASON + " characters, was " + reason.length());
        }
        return reason;
    }

    /** Whether {@code instant} can be stored. */
    public static boolean storable(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    /** The message for an instant that cannot be stored. */
    public static String unstorable(String what, Object value) {
        return what + " must lie between " + EARLIEST + " and " + LATEST + " (what every database stores), was " + value;
    }

    /** {@code instant}, or a ConfigurationException if it cannot be stored. */
    public static Instant requireStorable(Instant instant, String what) {
        if (!storable(instant)) throw new ConfigurationException(unstorable(what, instant));
        return instant;
    }

    /**
     * {@code from + duration}, or null if that cannot be stored (past {@link #LATEST}, or beyond what an {@link Instant}
     * holds at all).
     */
    public static Instant plusOrNull(Instant from, Duration duration) {
        try {
            Instant at = from.plus(duration);
            return storable(at) ? at : null;
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return null;
        }
    }

    /** {@code from + duration}, or a ConfigurationException naming {@code what} if that cannot be stored. */
    public static Instant requirePlus(Instant from, Duration duration, String what) {
        Instant at = plusOrNull(from, duration);
        if (at == null) throw new ConfigurationException(unstorable(what, from + " + " + duration));
        return at;
    }

    /**
     * Whether {@code duration} counted from any instant until {@link #LATEST} can be stored: a duration declared once
     * (a wait's timeout, a step's delay, a retry's backoff) must fit the years ahead, as it is added to times to come.
     */
    public static boolean fitsAhead(Duration duration) {
        return duration.compareTo(Duration.ofDays(365L * 1000)) <= 0;
    }
}
