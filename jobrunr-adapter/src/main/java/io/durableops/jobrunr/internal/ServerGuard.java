package io.durableops.jobrunr.internal;

import io.durableops.core.spi.AdapterSupport;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Starts JobRunr's background job server again after it stopped by itself. why: JobRunr 8.7 (open source) shuts its
 * server down for good during a database outage of about half a minute ("An unrecoverable error occurred. Shutting
 * down BackgroundJobServer"), and restarts a timed-out server only a few times per JVM; without a running server the
 * node never runs a step again and its operations sit without a reason (found by the reliability suite). The guard
 * checks every second and starts the server once it has been stopped for two checks in a row.
 */
public final class ServerGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerGuard.class);

    private final BackgroundJobServer server;
    private final ScheduledExecutorService executor;
    private int stoppedChecks;
    /** Set once the JVM shuts down: a server stopped then is being stopped on purpose, and stays stopped. */
    private volatile boolean jvmStopping;
    private final Thread onJvmShutdown = new Thread(() -> jvmStopping = true, "durable-ops-jobrunr-guard-shutdown");

    public ServerGuard(BackgroundJobServer server) {
        this.server = server;
        this.executor = AdapterSupport.daemonScheduler("durable-ops-jobrunr-guard");
        Runtime.getRuntime().addShutdownHook(onJvmShutdown);
        executor.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }

    private void check() {
        if (jvmStopping) return; // why: an application shutting down stops JobRunr's server first, say; it must stay down
        try {
            if (server.isRunning()) {
                stoppedChecks = 0;
                return;
            }
            if (++stoppedChecks < 2) return; // a start or a stop in progress also reads as "not running" for a moment
            LOG.warn("JobRunr's background job server has stopped (after a database outage?); starting it again");
            stoppedChecks = 0;
            server.start();
        } catch (RuntimeException e) {
            LOG.warn("could not start JobRunr's background job server yet; trying again: {}", AdapterSupport.describe(e));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            Runtime.getRuntime().removeShutdownHook(onJvmShutdown);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is shutting down already; the hook has run or runs now
        }
    }
}
