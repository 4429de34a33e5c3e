package io.durableops.bench;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.AttemptStatus;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationStatus;
import io.durableops.core.internal.store.JdbcStore;
import io.durableops.core.internal.store.MySqlDialect;
import io.durableops.core.internal.store.Rows;
import io.durableops.core.internal.store.Tx;
import io.durableops.core.testing.ManualDispatcher;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceiling the schema puts on the fast path: 8 threads doing nothing but recording fast-path steps with the store's
 * own statement ({@link io.durableops.core.internal.store.Turns#recordAlone}: the next attempt inserted already claimed, which records the step's
 * attempt as SUCCEEDED, in one auto-committed statement) on a held connection that reuses its statements, as the fast
 * path's worker does; no step code, no JobRunr, no enqueue, and no hand-back to the full transaction (which settles the
 * turn's attempts) every 32 steps. The fast path cannot run faster than this on the same database.
 */
final class SqlFloor {
    private SqlFloor() {
    }

    record Outcome(double transitionsPerSecond, double jvmMillisPerTransition, double dbMillisPerTransition) {
    }

    /** Not measured: PostgreSQL records no fast-path step alone, so its fast path has no such single-statement floor. */
    static final Outcome NONE = new Outcome(Double.NaN, Double.NaN, Double.NaN);

    static Outcome run(Database db, int threads, long millis) throws Exception {
        if (db.kind != Database.Kind.MARIADB) return NONE;
        db.recreate();
        SqlCounter counter = new SqlCounter();
        try (Database.Pool pool = db.pool(threads + 1, counter)) {
            // the schema, migrated as the application would
            DurableOps.builder().dataSource(pool.hikari()).encryptor(AesGcmEncryptor.of("k1", DurableWorkload.KEY))
                    .dispatcher(new ManualDispatcher(Clock.systemUTC())).relayInterval(Duration.ZERO).build().close();
            MySqlDialect dialect = new MySqlDialect(true);
            JdbcStore store = new JdbcStore(dialect);
            Tx tx = new Tx(pool.hikari(), dialect);
            byte[] globals = AesGcmEncryptor.of("k1", DurableWorkload.KEY).encrypt("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            AtomicLong transitions = new AtomicLong();
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            long[] end = new long[1];
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread worker = new Thread(() -> {
                    try (Tx.Hold hold = tx.hold()) {
                        if (hold == null) throw new IllegalStateException("the floor's worker could not hold a connection");
                        tx.auto("record steps alone", c -> floor(c, store, globals, transitions, ready, go, end));
                    } catch (RuntimeException e) {
                        failures.add(e);
                        ready.countDown();
                    }
                }, "bench-floor-" + t);
                workers.add(worker);
                worker.start();
            }
            ready.await();
            Meter meter = new Meter(db, counter).start();
            long started = System.nanoTime();
            end[0] = started + millis * 1_000_000L;
            go.countDown();
            for (Thread worker : workers) worker.join();
            Meter.Usage usage = meter.stop();
            if (!failures.isEmpty()) throw new IllegalStateException("SQL floor workload failed", failures.get(0));
            double seconds = (System.nanoTime() - started) / 1e9;
            long n = Math.max(1, transitions.get());
            return new Outcome(transitions.get() / seconds, usage.cpuMillis() / n, usage.dbCpuMillis() / n);
        }
    }

    /**
     * One worker's floor: its operation and first attempt, then steps recorded alone until {@code end}, on the held
     * connection {@code c} (whose statements are kept, as the fast path's worker's are).
     */
    private static Void floor(Connection c, JdbcStore store, byte[] globals, AtomicLong transitions, CountDownLatch ready,
                              CountDownLatch go, long[] end) throws SQLException {
        Instant now = now();
        Rows.Attempt current = claimed(UUID.randomUUID(), UUID.randomUUID(), 1, now);
        store.insertOperation(c, new Rows.Operation(current.operationId(), "floor", 1, OperationStatus.RUNNING, current.step(),
                current.id(), globals, null, null, null, null, now, now, null, null, null, Rows.Queueing.NONE));
        store.insertAttempt(c, current);
        UUID pointer = current.id(); // the operation row stays here, as through a turn of steps recorded alone
        ready.countDown();
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        long n = 0;
        while (System.nanoTime() < end[0]) {
            now = now();
            Rows.Attempt next = claimed(UUID.randomUUID(), current.operationId(), current.visit() + 1, now);
            if (!store.turns().recordAlone(c, pointer, current.id(), current.attemptCount(), next)) {
                throw new IllegalStateException("the floor's completion did not match its own rows");
            }
            current = next;
            n++;
        }
        transitions.addAndGet(n);
        return null;
    }

    private static Rows.Attempt claimed(UUID id, UUID operationId, int visit, Instant now) {
        return new Rows.Attempt(id, operationId, "step-" + visit, visit, AttemptStatus.RUNNING, null, 1, 0, 1, now, now, null,
                now.plusSeconds(60), null, null, now, now, null, null);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
