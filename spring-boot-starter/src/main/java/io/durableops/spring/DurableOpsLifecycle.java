package io.durableops.spring;

import io.durableops.core.DurableOps;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Closes the runtime gracefully when the application stops ({@link DurableOps#close()}: it claims nothing new, lets
 * running steps finish for the drain timeout, hands back the rest uncounted).
 *
 * <p>why this phase: a lifecycle stops in descending phases, and every phase stops before any bean is destroyed.
 * JobRunr's Spring Boot starter stops its {@code BackgroundJobServer} when its {@code JobRunrStarter} bean is destroyed,
 * so the runtime always closes first, as {@code DurableOps.close()} asks (otherwise JobRunr interrupts running steps,
 * and the adapter's guard, which restarts a server that stopped by itself, could start it again). Below the web
 * server's phases ({@code SmartLifecycle.DEFAULT_PHASE - 1024} and {@code - 2048}): requests still being served can
 * enqueue while the node drains.
 */
final class DurableOpsLifecycle implements SmartLifecycle, DisposableBean {
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final DurableOps ops;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean running;

    DurableOpsLifecycle(DurableOps ops) {
        this.ops = ops;
    }

    @Override
    public void start() {
        running = true; // the runtime started when it was built; this only marks the phase
    }

    @Override
    public void stop() {
        close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** A context whose refresh failed destroys its beans without stopping its lifecycle: the runtime closes here then. */
    @Override
    public void destroy() {
        close();
    }

    DurableOps durableOps() {
        return ops;
    }

    boolean isClosed() {
        return closed.get();
    }

    private void close() {
        if (closed.compareAndSet(false, true)) ops.close();
    }
}
