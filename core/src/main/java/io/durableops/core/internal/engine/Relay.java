package io.durableops.core.internal.engine;

import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The safety net that makes dispatch at-least-once: offers again every committed attempt whose dispatch was never
 * confirmed (a crash between commit and dispatch, a dispatcher failure), recovers attempts whose runner died (lease
 * ran out), and renews the leases of the attempts this node is running. Its loops never die on an exception.
 */
public final class Relay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    private static final int BATCH = 500;

    private final Engine engine;
    private final Dispatch dispatch;
    private final StepRunner runner;
    private final Duration grace;
    private ScheduledExecutorService executor;

    public Relay(Engine engine, Dispatch dispatch, StepRunner runner, Duration grace) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.runner = runner;
        this.grace = grace;
    }

    public void start(String instanceName, Duration interval) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "durable-ops-relay-" + instanceName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> guarded("relay", this::runOnce), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        long renew = Math.max(100, engine.lease().toMillis() / 3);
        executor.scheduleWithFixedDelay(() -> guarded("lease renewal", this::renewLeases), renew, renew, TimeUnit.MILLISECONDS);
    }

    /** One pass: recover expired leases, then dispatch what is pending. Returns the number of attempts dispatched. */
    public int runOnce() {
        Instant now = engine.now();
        List<Rows.Pending> recovered = new ArrayList<>();
        for (Rows.Pending p : engine.tx().auto("find expired leases", c -> engine.store().expiredLeases(c, now, BATCH))) {
            if (engine.tx().auto("recover attempt " + p.attemptId(), c -> engine.store().recoverExpiredLease(c, p.attemptId(), now))) {
                LOG.warn("attempt {} ({} / {}) was running on a node whose lease ran out; scheduled again", p.attemptId(), p.definition(), p.step());
                recovered.add(new Rows.Pending(p.attemptId(), p.generation() + 1, p.operationId(), p.definition(), p.step(),
                        p.attemptCount(), now));
            }
        }
        int dispatched = dispatch.send(recovered);
        Instant changedBefore = now.minus(grace);
        List<Rows.Pending> pending;
        do {
            pending = engine.tx().auto("find undispatched attempts", c -> engine.store().undispatched(c, changedBefore, BATCH));
            if (!pending.isEmpty()) {
                LOG.info("relay dispatches {} committed attempt(s) that were not dispatched", pending.size());
            }
            int sent = dispatch.send(pending);
            dispatched += sent;
            if (sent < pending.size()) break;
        } while (pending.size() == BATCH);
        return dispatched;
    }

    void renewLeases() {
        if (runner.inFlight().isEmpty()) return;
        Instant until = engine.now().plus(engine.lease());
        engine.tx().auto("renew leases", c -> {
            engine.store().renewLeases(c, List.copyOf(runner.inFlight()), until);
            return null;
        });
    }

    private static void guarded(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("{} pass failed; it will run again: {}", what, e.toString());
        }
    }

    @Override
    public void close() {
        if (executor == null) return;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) executor.shutdownNow();
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
