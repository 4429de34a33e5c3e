package io.durableops.core.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The background threads of Durable Ops (core and adapters): named, and daemons, so they never keep a JVM alive. */
public final class Daemons {
    private Daemons() {
    }

    public static ScheduledExecutorService scheduler(String threadName) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }
}
