package io.durableops.jobrunr.internal;

import io.durableops.core.spi.AttemptRunner;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Durable Ops runtimes started in this JVM, by name. JobRunr creates job handlers with their no-arg constructor
 * (or through the application's IoC container), so the handler finds its runtime here rather than by injection.
 */
public final class Runtimes {
    private static final Map<String, AttemptRunner> RUNNERS = new ConcurrentHashMap<>();

    private Runtimes() {
    }

    public static void register(String instance, AttemptRunner runner) {
        AttemptRunner previous = RUNNERS.putIfAbsent(instance, runner);
        if (previous != null && previous != runner) {
            throw new IllegalStateException("a Durable Ops runtime named '" + instance + "' is already running in this JVM; "
                    + "close it first or give this one another name with DurableOps.builder().name(...)");
        }
    }

    public static void unregister(String instance, AttemptRunner runner) {
        RUNNERS.remove(instance, runner);
    }

    public static AttemptRunner runner(String instance) {
        AttemptRunner runner = RUNNERS.get(instance);
        if (runner == null) {
            // why: thrown so JobRunr retries the job; it runs once the runtime has started on this node
            throw new IllegalStateException("no Durable Ops runtime named '" + instance + "' is running in this JVM (running: "
                    + RUNNERS.keySet() + "); the step will be retried by JobRunr");
        }
        return runner;
    }
}
