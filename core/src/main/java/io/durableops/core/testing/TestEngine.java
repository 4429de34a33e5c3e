package io.durableops.core.testing;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.FastPath;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationScheduler;
import io.durableops.core.spi.DispatchRequest;
import org.h2.jdbcx.JdbcDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.UUID;

/**
 * A whole Durable Ops runtime for unit tests: an in-memory H2 database (no server), no JobRunr, no threads, and a
 * clock that moves only when the test says so. Delays, retries and timeouts are skipped over instead of waited for.
 * Needs {@code com.h2database:h2} on the test classpath.
 *
 * <pre>{@code
 * try (TestEngine engine = TestEngine.of(new SubscriptionFulfillment(payments, Duration.ofMinutes(10)))) {
 *     OperationId id = engine.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 42, "plan", "red", "email", "a@b.c"));
 *     engine.runUntilIdle();                              // runs every step, skipping the 10-minute delay
 *     assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
 * }
 * }</pre>
 */
public final class TestEngine implements AutoCloseable {
    /** How far {@link #runUntilIdle()} moves the clock at most before it gives up on an operation that never ends. */
    public static final Duration HORIZON = Duration.ofDays(366);

    private final MutableClock clock;
    private final ManualDispatcher dispatcher;
    private final JdbcDataSource dataSource;
    private final DurableOps ops;

    private TestEngine(Instant start, OperationDefinition... definitions) {
        this.clock = new MutableClock(start);
        this.dispatcher = new ManualDispatcher(clock);
        this.dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:durable-ops-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        this.ops = DurableOps.builder().dataSource(dataSource).encryptor(AesGcmEncryptor.of("test", AesGcmEncryptor.generateKey()))
                .clock(clock).dispatcher(dispatcher).relayInterval(Duration.ZERO).fastPath(FastPath.off())
                .register(definitions).build();
    }

    /** An engine with these definitions, its clock at 2026-01-01T00:00:00Z. */
    public static TestEngine of(OperationDefinition... definitions) {
        return new TestEngine(Instant.parse("2026-01-01T00:00:00Z"), definitions);
    }

    /** An engine with these definitions, its clock at {@code start}. */
    public static TestEngine startingAt(Instant start, OperationDefinition... definitions) {
        return new TestEngine(start, definitions);
    }

    public OperationScheduler scheduler() {
        return ops.scheduler();
    }

    public DurableOps durableOps() {
        return ops;
    }

    /** The in-memory H2 database, for your own tables (a transactional step's rows, an outbox's orders). */
    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    public MutableClock clock() {
        return clock;
    }

    /** What was dispatched, and what is still pending: to assert on delays. */
    public ManualDispatcher dispatcher() {
        return dispatcher;
    }

    /** Runs every step that is due now (and what it leads to), after a relay pass (deadlines). Returns how many ran. */
    public int runDue() {
        ops.relayNow();
        return dispatcher.runDue();
    }

    /** Moves the clock by {@code duration}, then runs what became due. */
    public int advance(Duration duration) {
        clock.advance(duration);
        return runDue();
    }

    /**
     * Runs everything, moving the clock straight to the next due step each time nothing is due, until nothing is
     * scheduled any more (operations finished, or waiting for a signal with no timeout). Returns how many steps ran.
     *
     * @throws IllegalStateException if operations are still scheduled after {@link #HORIZON} of test time
     */
    public int runUntilIdle() {
        Instant limit = clock.instant().plus(HORIZON);
        int ran = runDue();
        while (true) {
            Optional<Instant> next = dispatcher.pending().stream().map(DispatchRequest::runAt).min(Comparator.naturalOrder());
            if (next.isEmpty()) return ran;
            if (next.get().isAfter(limit)) {
                throw new IllegalStateException("operations are still scheduled after " + HORIZON + " of test time: " + dispatcher.pending());
            }
            if (next.get().isAfter(clock.instant())) clock.set(next.get());
            ran += runDue();
        }
    }

    @Override
    public void close() {
        ops.close();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        } catch (SQLException ignored) {
            // the in-memory database is gone either way
        }
    }
}
