package io.durableops.core.test;

import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;

/** Drives a thread-free runtime through time: runs what is due, then moves its clock on one second at a time. */
public final class Drive {
    private Drive() {
    }

    /** Runs what is due now and after each second of {@code span}: retries, delays and timeouts come due on the way. */
    public static void runFor(MutableClock clock, ManualDispatcher dispatcher, Duration span) {
        Instant end = clock.instant().plus(span);
        dispatcher.runDue();
        while (clock.instant().isBefore(end)) {
            clock.advance(Duration.ofSeconds(1));
            dispatcher.runDue();
        }
    }
}
