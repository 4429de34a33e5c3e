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

    /** A {@link #scheduler} whose thread starts only when it is first needed: most runtimes never need some of them. */
    public static final class Lazy {
        private final String threadName;
        private volatile ScheduledExecutorService scheduler;

        public Lazy(String threadName) {
            this.threadName = threadName;
        }

        public ScheduledExecutorService get() {
            ScheduledExecutorService s = scheduler;
            if (s == null) {
                synchronized (this) {
                    if (scheduler == null) scheduler = scheduler(threadName);
                    s = scheduler;
                }
            }
            return s;
        }

        /** Stops the thread if it was started; a later {@link #get} returns the stopped scheduler, which rejects work. */
        public void shutdownNow() {
            ScheduledExecutorService s = scheduler;
            if (s != null) s.shutdownNow();
        }
    }
}
