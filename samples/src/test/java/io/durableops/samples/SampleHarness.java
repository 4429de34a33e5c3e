package io.durableops.samples;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;

/** Runs samples on a real (H2) database without threads: time moves only when the test says so. */
final class SampleHarness implements AutoCloseable {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T09:00:00Z"));
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final TestDatabase db = TestDatabase.h2();
    final DurableOps ops;

    SampleHarness(OperationDefinition... definitions) {
        this(AesGcmEncryptor.of("samples", AesGcmEncryptor.generateKey()), definitions);
    }

    SampleHarness(io.durableops.core.Encryptor encryptor, OperationDefinition... definitions) {
        ops = DurableOps.builder().dataSource(db.dataSource()).encryptor(encryptor)
                .clock(clock).dispatcher(dispatcher).relayInterval(Duration.ZERO).register(definitions).build();
    }

    /** Runs DDL or DML on the sample's database. */
    void sql(String... statements) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement()) {
            for (String statement : statements) s.execute(statement);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    long count(String table) {
        try (var c = db.dataSource().getConnection(); var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    /** Runs everything due, jumping the clock to the next due request, until nothing is left. */
    void runToEnd() {
        for (int i = 0; i < 10_000 && !dispatcher.pending().isEmpty(); i++) {
            dispatcher.runDue();
            dispatcher.pending().stream().map(r -> r.runAt()).min(Instant::compareTo)
                    .filter(next -> next.isAfter(clock.instant())).ifPresent(clock::set);
        }
    }

    @Override
    public void close() {
        ops.close();
        db.close();
    }
}
