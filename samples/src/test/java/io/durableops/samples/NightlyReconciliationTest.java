package io.durableops.samples;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationStatus;
import io.durableops.core.ScheduleView;
import io.durableops.core.testing.MutableClock;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.samples.reconciliation.Ledger;
import io.durableops.samples.reconciliation.NightlyReconciliation;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class NightlyReconciliationTest {
    @Test
    void runsAtTwoInBrusselsAndMakesUpOneMissedNightAfterAnOutage() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-21T09:00:00Z"));
        ManualDispatcher dispatcher = new ManualDispatcher(clock);
        Ledger ledger = new Ledger().balances("2026-11-21", 10_000, 10_000).balances("2026-11-24", 10_000, 9_950);
        try (TestDatabase db = TestDatabase.h2();
             DurableOps ops = NightlyReconciliation.scheduled(DurableOps.builder()).dataSource(db.dataSource())
                     .encryptor(AesGcmEncryptor.of("k", AesGcmEncryptor.generateKey())).clock(clock).dispatcher(dispatcher)
                     .relayInterval(Duration.ZERO).register(new NightlyReconciliation(ledger)).build()) {
            ScheduleView schedule = ops.schedules().find("reconcile-every-night").orElseThrow();
            assertThat(schedule.nextTickAt()).contains(Instant.parse("2026-11-22T01:00:00Z")); // 02:00 in Brussels

            clock.set(Instant.parse("2026-11-22T01:00:00Z"));
            ops.relayNow();
            dispatcher.runDue();
            dispatcher.runDue();
            dispatcher.runDue();
            assertThat(ledger.reports()).containsExactly("EUR-main 2026-11-21: balanced");

            // no node runs for three nights; when one is back, only the last missed night runs
            clock.set(Instant.parse("2026-11-25T08:00:00Z"));
            ops.relayNow();
            for (int i = 0; i < 3; i++) dispatcher.runDue();
            assertThat(ledger.reports()).containsExactly("EUR-main 2026-11-21: balanced", "EUR-main 2026-11-24: off by 50");
            ScheduleView after = ops.schedules().find("reconcile-every-night").orElseThrow();
            assertThat(after.skippedTicks()).isEqualTo(2);
            assertThat(ops.scheduler().get(after.lastOperation().orElseThrow()).status()).isEqualTo(OperationStatus.COMPLETED);
        }
    }
}
