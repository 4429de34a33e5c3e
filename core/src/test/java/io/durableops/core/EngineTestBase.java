package io.durableops.core;

import io.durableops.core.test.Journal;
import io.durableops.core.test.PausingDataSource;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the engine's contract suites share: a real database per test, a {@link ManualDispatcher} that runs what is
 * due without threads, and a {@link MutableClock} that moves time.
 */
abstract class EngineTestBase {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="; // 32 bytes, base64

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final Journal journal = new Journal();
    TestDatabase db;
    /** The database as the runtime sees it: a test may hold one of its callers between two statements. */
    PausingDataSource pausing;
    DurableOps ops;

    abstract TestDatabase database();

    @BeforeEach
    void openDatabase() {
        db = database();
        pausing = new PausingDataSource(db.dataSource());
    }

    @AfterEach
    void close() {
        if (ops != null) ops.close();
        if (db != null) db.close();
    }

    DurableOps start(OperationDefinition... definitions) {
        return start(AesGcmEncryptor.of("k1", KEY), definitions);
    }

    DurableOps start(Encryptor encryptor, OperationDefinition... definitions) {
        return start(encryptor, FastPath.off(), definitions);
    }

    DurableOps start(Encryptor encryptor, FastPath fastPath, OperationDefinition... definitions) {
        return start(encryptor, fastPath, 2, definitions);
    }

    /** With {@code fastPathTurns} turns wanted before new operations wait for one (the default depends on the machine). */
    DurableOps start(Encryptor encryptor, FastPath fastPath, int fastPathTurns, OperationDefinition... definitions) {
        return start(encryptor, fastPath, fastPathTurns, null, definitions);
    }

    /** As above, and a worker with nothing to take waits {@code linger} for a new operation (null: the default). */
    DurableOps start(Encryptor encryptor, FastPath fastPath, int fastPathTurns, Duration linger, OperationDefinition... definitions) {
        DurableOps.Builder builder = DurableOps.builder().dataSource(pausing).encryptor(encryptor).clock(clock).fastPath(fastPath)
                .fastPathTurns(fastPathTurns).dispatcher(dispatcher).relayInterval(Duration.ZERO).register(definitions);
        if (linger != null) builder.fastPathLinger(linger);
        ops = builder.build();
        return ops;
    }

    OperationScheduler scheduler() {
        return ops.scheduler();
    }

    static RetryPolicy quickRetries(int attempts) {
        return RetryPolicy.fixed(attempts, Duration.ofSeconds(1));
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Holds the worker of a step that calls {@link #hold} until the test releases it: the test acts meanwhile. */
    static final class Gate {
        final java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
        final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

        /** Called from a step's code: says it is running, and waits to be released. */
        void hold() throws InterruptedException {
            inside.countDown();
            release.await();
        }

        /** A step's code that runs {@code first}, then holds. */
        Action after(Action first) {
            return ctx -> {
                first.run(ctx);
                hold();
            };
        }
    }

    /**
     * Runs what is due on a worker thread until its step holds at {@code gate}, then {@code body} on this thread; then
     * releases the step and waits for the worker to finish, also when {@code body} failed.
     */
    void whileAWorkerHolds(Gate gate, Body body) throws Exception {
        whileAWorkerRuns(gate.release, () -> {
            gate.inside.await();
            body.run();
        });
    }

    /**
     * Runs what is due on a worker thread, whose step waits for {@code release}, while {@code body} runs on this one;
     * then releases that step and waits for the worker to finish, also when {@code body} failed.
     */
    void whileAWorkerRuns(java.util.concurrent.CountDownLatch release, Body body) throws Exception {
        Thread worker = new Thread(dispatcher::runDue, "test-worker");
        worker.start();
        try {
            body.run();
        } finally {
            release.countDown();
            worker.join();
        }
    }

    /** Runs what is due, moving the clock to the next due request each time, until nothing is left to run. */
    void runToEnd() {
        for (int i = 0; i < 1000; i++) {
            dispatcher.runDue();
            if (dispatcher.pending().isEmpty()) return;
            Instant next = dispatcher.pending().stream().map(r -> r.runAt()).min(Instant::compareTo).orElseThrow();
            if (next.isAfter(clock.instant())) clock.set(next);
        }
        throw new AssertionError("still pending after 1000 rounds: " + dispatcher.pending());
    }

    void markUndispatched(OperationId id) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_attempts SET dispatch_pending = 1 WHERE operation_id = ? AND status = 'SCHEDULED'")) {
            ps.setString(1, id.toString());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }
}
