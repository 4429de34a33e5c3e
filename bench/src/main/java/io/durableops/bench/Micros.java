package io.durableops.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Wall-clock instants as microseconds since the epoch. The JVM's UTC clock has microsecond resolution on Linux, the
 * same clock Durable Ops stamps its attempts with (DATETIME(6) columns), so in-memory and stored times compare.
 */
final class Micros {
    private Micros() {
    }

    static long now() {
        return of(Instant.now());
    }

    static long of(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    static double millisBetween(long fromMicros, long toMicros) {
        return (toMicros - fromMicros) / 1000.0;
    }

    static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
