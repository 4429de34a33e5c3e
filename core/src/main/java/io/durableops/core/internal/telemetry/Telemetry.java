package io.durableops.core.internal.telemetry;

import java.time.Duration;
import java.util.Map;

/**
 * What the engine reports as metrics and traces, with Micrometer when the application gives the builder a registry
 * ({@link MicrometerTelemetry}), or nowhere ({@link #NONE}). Names and tags: docs/observability.md.
 */
public interface Telemetry {
    Telemetry NONE = new Telemetry() {
    };

    /**
     * The trace context of the calling thread, as carrier entries to store with a new operation (trace and span ids
     * only), after recording its enqueue; empty when there is none.
     */
    default Map<String, String> enqueued(String definition) {
        return Map.of();
    }

    /** A step starts: a span continuing the operation's stored trace context, and the step's timer. */
    default Step step(String definition, String step, String operationId, String attemptId, int attempt, Map<String, String> trace) {
        return Step.NONE;
    }

    /** One step's observation; {@link #close} with the outcome. */
    interface Step extends AutoCloseable {
        Step NONE = new Step() {
            @Override
            public void outcome(String outcome) {
            }

            @Override
            public void error(Throwable error) {
            }

            @Override
            public void close() {
            }
        };

        /** succeeded, retried, failed, parked, handed-back, discarded. */
        void outcome(String outcome);

        void error(Throwable error);

        @Override
        void close();
    }

    /** An operation began (its first step was stored). */
    default void operationStarted(String definition) {
    }

    /** An operation ended: COMPLETED, FAILED, EXPIRED, CANCELLED, or PAUSED. */
    default void operationEnded(String definition, String status) {
    }

    /** A step's try failed and is retried. */
    default void retried(String definition, String step) {
    }

    /** How long an operation's first step waited from due to start. */
    default void startLag(String definition, Duration lag) {
    }

    /** One relay pass and how long it took. */
    default void relayPass(Duration took) {
    }

    /** What the relay last read from the database: attempts due and not started, and PAUSED operations. */
    default void backlog(long due, long paused) {
    }

    /** Carrier entries as stored with an operation ({@code key=value}, one per line), or null for none. */
    static String encode(Map<String, String> carrier) {
        if (carrier == null || carrier.isEmpty()) return null;
        StringBuilder s = new StringBuilder();
        carrier.forEach((k, v) -> {
            if (k.indexOf('=') < 0 && k.indexOf('\n') < 0 && v.indexOf('\n') < 0) s.append(k).append('=').append(v).append('\n');
        });
        return s.length() == 0 || s.length() > 1000 ? null : s.toString();
    }

    /** The carrier entries {@link #encode} stored. */
    static Map<String, String> decode(String stored) {
        if (stored == null || stored.isEmpty()) return Map.of();
        Map<String, String> carrier = new java.util.LinkedHashMap<>();
        for (String line : stored.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) carrier.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return carrier;
    }

    /** Whether anything is reported: the relay reads the gauges' values only then. */
    default boolean isOn() {
        return false;
    }
}
