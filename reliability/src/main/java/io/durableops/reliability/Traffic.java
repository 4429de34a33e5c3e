package io.durableops.reliability;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.samples.reliability.Poison;
import io.durableops.samples.reliability.Workload;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the suite feeds the cluster: the workload, paced over a period (an application enqueuing with idempotency keys,
 * retrying while the database is away), and the poison operations.
 */
final class Traffic {
    /** A poison operation and the words its failure reason must contain. */
    record PoisonOp(OperationId id, String kind, String expectedStatus, String expectedReason) {
    }

    /** The runtime the application enqueues with: the old build's, then, once the rolling deploy began, the new one's. */
    private volatile DurableOps ops;
    private final DurableOps rogue;
    private final AesGcmEncryptor encryptor;
    private final DataSource dataSource;
    private final Map<Integer, OperationId> workload = new ConcurrentHashMap<>();
    private final List<PoisonOp> poison = new CopyOnWriteArrayList<>();
    private final AtomicInteger enqueueRetries = new AtomicInteger();
    /** Workload operations handed to a feeder so far. */
    private final AtomicInteger fed = new AtomicInteger();
    private final AtomicInteger poisonBatches = new AtomicInteger();
    /** Released when the application enqueues with the new build: the feed's last tenth waits for it. */
    private final java.util.concurrent.CountDownLatch deployed = new java.util.concurrent.CountDownLatch(1);

    Traffic(DurableOps ops, DurableOps rogue, AesGcmEncryptor encryptor, DataSource dataSource) {
        this.ops = ops;
        this.rogue = rogue;
        this.encryptor = encryptor;
        this.dataSource = dataSource;
    }

    /**
     * Enqueues {@code count} workload operations evenly over {@code period}, on a thread of its own. A later call adds
     * operations numbered after those of the earlier ones. The last tenth waits until the application enqueues with the
     * new build ({@link #switchTo}), so that some operations start on version 2 however late the deploy comes.
     */
    Thread feed(int count, Duration period) {
        int first = fed.getAndAdd(count);
        int held = Math.max(1, count / 10);
        Thread feeder = new Thread(() -> {
            Instant start = Instant.now();
            for (int n = 0; n < count; n++) {
                Instant due = start.plusMillis(period.toMillis() * n / count);
                sleepUntil(due);
                if (n == count - held) awaitDeploy();
                int i = first + n;
                workload.put(i, retrying(() -> ops.scheduler().enqueue(Workload.NAME, Map.of("n", i),
                        EnqueueOptions.idempotencyKey("workload-" + i))));
            }
        }, "feeder");
        feeder.setDaemon(true); // why: a driver that gives up (the database never came back) must still exit
        feeder.start();
        return feeder;
    }

    /** One operation of each poison kind, {@code perKind} times. */
    void poison(int perKind) {
        int batch = poisonBatches.incrementAndGet();
        for (int k = 0; k < perKind; k++) {
            String key = batch + "-" + k;
            // why PAUSED: no running node has what they need, which a deploy may yet bring back; they wait, visibly
            add("definition removed by a redeploy", "PAUSED", "no running node has definition 'reliability-retired'",
                    () -> ops.scheduler().enqueue(OldDeploy.RETIRED, Map.of(), EnqueueOptions.idempotencyKey(key)));
            add("step removed by a redeploy", "PAUSED", "no running node has step 'legacy-start'",
                    () -> ops.scheduler().enqueue(Poison.REDEPLOYED, Map.of(), EnqueueOptions.idempotencyKey(key)));
            add("args under an unknown key", "FAILED", "cannot decrypt", () -> enqueueWithRogueKey(key));
            add("args that are not JSON", "FAILED", "not valid JSON", () -> enqueueCorrupted(key));
            add("input of an old shape", "FAILED", "SerializationException (not retryable)",
                    () -> ops.scheduler().enqueue(Poison.SHAPE, Map.of("customer", "Ada Lovelace"), EnqueueOptions.idempotencyKey(key)));
            add("step throws an Error", "FAILED", "PoisonError",
                    () -> ops.scheduler().enqueue(Poison.ERROR, Map.of(), EnqueueOptions.idempotencyKey(key)));
            add("step overflows its stack", "FAILED", "StackOverflowError",
                    () -> ops.scheduler().enqueue(Poison.STACK_OVERFLOW, Map.of(), EnqueueOptions.idempotencyKey(key)));
            add("step hangs past its timeout", "FAILED", "StepTimeoutException",
                    () -> ops.scheduler().enqueue(Poison.HANG, Map.of(), EnqueueOptions.idempotencyKey(key)));
        }
    }

    /** From now on the application enqueues with {@code next} (the new build); returns the runtime it used before. */
    DurableOps switchTo(DurableOps next) {
        DurableOps before = ops;
        ops = next;
        deployed.countDown();
        return before;
    }

    private void awaitDeploy() {
        try {
            // why bounded: a deploy that never comes is reported (DEPLOY NOT AS PLANNED), not waited for for ever
            deployed.await(3, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    DurableOps ops() {
        return ops;
    }

    Map<Integer, OperationId> workload() {
        return workload;
    }

    List<PoisonOp> poisonOps() {
        return poison;
    }

    int enqueueRetries() {
        return enqueueRetries.get();
    }

    private void add(String kind, String expectedStatus, String expectedReason, Supplier<OperationId> enqueue) {
        poison.add(new PoisonOp(retrying(enqueue), kind, expectedStatus, expectedReason));
    }

    /** A node with another key writes the operation in its own transaction; a worker's relay dispatches it. */
    private OperationId enqueueWithRogueKey(String key) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            OperationId id = rogue.scheduler().enqueue(c, Poison.SIMPLE, Map.of("secret", "under the rogue key"),
                    EnqueueOptions.idempotencyKey("rogue-" + key));
            c.commit();
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stored data that no longer reads: the first step is delayed, and before it runs its arguments are replaced by
     * bytes encrypted under the right key that are not JSON (what a bug in an old deploy, or a bad manual fix, leaves).
     */
    private OperationId enqueueCorrupted(String key) {
        OperationId id = ops.scheduler().enqueue(Poison.SIMPLE, Map.of("k", 1),
                EnqueueOptions.idempotencyKey("corrupt-" + key).andDelay(Duration.ofSeconds(6)));
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET args = ? WHERE operation_id = ? AND status = 'SCHEDULED'")) {
            ps.setBytes(1, encryptor.encrypt("{\"k\": [1, 2".getBytes(StandardCharsets.UTF_8)));
            ps.setString(2, id.toString());
            if (ps.executeUpdate() != 1) throw new IllegalStateException("could not corrupt the args of " + id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    /** Retries an enqueue until the database answers, as an application would; the idempotency key makes it safe. */
    private <T> T retrying(Supplier<T> enqueue) {
        while (true) {
            try {
                return enqueue.get();
            } catch (RuntimeException e) {
                enqueueRetries.incrementAndGet();
                sleepUntil(Instant.now().plusMillis(500));
            }
        }
    }

    static void sleepUntil(Instant due) {
        long millis = Duration.between(Instant.now(), due).toMillis();
        if (millis <= 0) return;
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static List<String> kinds(List<PoisonOp> ops) {
        List<String> kinds = new ArrayList<>();
        for (PoisonOp op : ops) if (!kinds.contains(op.kind())) kinds.add(op.kind());
        return kinds;
    }
}
