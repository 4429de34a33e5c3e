package io.durableops.core.spi;

import java.util.concurrent.ScheduledExecutorService;

/**
 * What an adapter to a job system shares with the runtime, so it needs nothing from internal packages: background
 * threads that never keep a JVM alive, and failures described for a log line as the runtime's own are (no message,
 * which may hold user data, unless {@code DurableOps.Builder.logUserData(true)}).
 */
public final class AdapterSupport {
    private AdapterSupport() {
    }

    /** A single-thread scheduler on a daemon thread named {@code threadName}. */
    public static ScheduledExecutorService daemonScheduler(String threadName) {
        return io.durableops.core.internal.Daemons.scheduler(threadName);
    }

    /** {@code failure} for a log line: its class (and SQL state), with its message only if user data may be logged. */
    public static String describe(Throwable failure) {
        return io.durableops.core.internal.Logs.describe(failure);
    }
}
