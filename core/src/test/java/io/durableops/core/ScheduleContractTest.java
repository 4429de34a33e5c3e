package io.durableops.core;

import io.durableops.core.testing.ManualDispatcher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schedules: one operation per tick across nodes, overlap and catch-up policies, pause, resume, trigger, on every database. */
abstract class ScheduleContractTest extends EngineTestBase {

    OperationDefinition quick() {
        return define("reconcile", f -> f.action("work", ctx -> journal.ran("work:" + ctx.get("scheduledFor", String.class))).result("done"));
    }

    /** An operation that stays RUNNING until it gets the signal "go". */
    OperationDefinition slow() {
        return define("reconcile", f -> f.awaitSignal("wait", "go", WaitOptions.defaults()).result("done"));
    }

    DurableOps node(String name, ManualDispatcher dispatcher, OperationDefinition definition) {
        return DurableOps.builder().name(name).dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO).register(definition).build();
    }

    List<String> idempotencyKeys() {
        try (var c = db.dataSource().getConnection();
             var ps = c.prepareStatement("SELECT idempotency_key FROM durable_operations WHERE definition = 'reconcile' ORDER BY idempotency_key")) {
            List<String> keys = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) keys.add(rs.getString(1));
            }
            return keys;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void threeNodesStartExactlyOneOperationPerTick() throws Exception {
        List<DurableOps> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                nodes.add(DurableOps.builder().name("node-" + i).dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                        .dispatcher(new ManualDispatcher(clock)).relayInterval(Duration.ZERO).register(quick())
                        .schedule("every-second", "reconcile", Schedule.every(Duration.ofSeconds(1)).onOverlap(Schedule.Overlap.ALLOW_ALL), Map.of())
                        .build());
            }
            CyclicBarrier together = new CyclicBarrier(3);
            for (int tick = 1; tick <= 10; tick++) {
                clock.advance(Duration.ofSeconds(1));
                List<CompletableFuture<Integer>> passes = new ArrayList<>();
                for (DurableOps node : nodes) {
                    passes.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            together.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return node.relayNow();
                    }));
                }
                for (CompletableFuture<Integer> pass : passes) pass.get();
                assertThat(idempotencyKeys()).as("after tick " + tick).hasSize(tick);
            }
            assertThat(idempotencyKeys()).doesNotHaveDuplicates().allSatisfy(k -> assertThat(k).startsWith("schedule:every-second:"));
            ScheduleView view = nodes.get(0).schedules().find("every-second").orElseThrow();
            assertThat(view.skippedTicks()).isZero();
            assertThat(view.nextTickAt()).contains(clock.instant().plusSeconds(1));
        } finally {
            for (DurableOps node : nodes) node.close();
        }
    }

    @Test
    void nodesStoringTheSameNewScheduleAtOnceLeaveOneRow() throws Exception {
        start(quick());
        for (int round = 0; round < 5; round++) {
            String name = "declared-" + round;
            CyclicBarrier together = new CyclicBarrier(4);
            List<CompletableFuture<ScheduleView>> puts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                puts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return ops.schedules().put(name, "reconcile", Schedule.every(Duration.ofMinutes(1)), Map.of());
                }));
            }
            for (CompletableFuture<ScheduleView> put : puts) assertThat(put.get().name()).isEqualTo(name);
        }
        assertThat(ops.schedules().list()).hasSize(5);
    }

    @Test
    void eachTickStartsTheDefinitionWithTheInputAndItsTick() {
        start(quick());
        Instant first = clock.instant().plusSeconds(60);
        ScheduleView stored = ops.schedules().put("minutely", "reconcile", Schedule.every(Duration.ofMinutes(1)), Map.of("account", 7));
        assertThat(stored.nextTickAt()).contains(first);
        assertThat(stored.paused()).isFalse();
        clock.advance(Duration.ofSeconds(59));
        ops.relayNow();
        assertThat(dispatcher.pending()).as("no tick yet").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        runToEnd();
        assertThat(journal.entries()).containsExactly("work:" + first);
        OperationId id = ops.schedules().find("minutely").orElseThrow().lastOperation().orElseThrow();
        OperationView started = scheduler().get(id);
        assertThat(started.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(started.globals().get("account", Integer.class)).isEqualTo(7);
        assertThat(started.globals().get("schedule", String.class)).isEqualTo("minutely");
        assertThat(ops.schedules().find("minutely").orElseThrow().lastTickAt()).contains(first);
    }

    @Test
    void skipPolicySkipsTicksWhileThePreviousOperationRuns() {
        start(slow());
        ops.schedules().put("nightly", "reconcile", Schedule.every(Duration.ofSeconds(1)), Map.of());
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        OperationId first = ops.schedules().find("nightly").orElseThrow().lastOperation().orElseThrow();
        dispatcher.runDue();
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(1));
            ops.relayNow();
        }
        ScheduleView view = ops.schedules().find("nightly").orElseThrow();
        assertThat(view.lastOperation()).contains(first);
        assertThat(view.skippedTicks()).isEqualTo(4);
        assertThat(idempotencyKeys()).hasSize(1);

        scheduler().signal(first, "go", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(first).status()).isEqualTo(OperationStatus.COMPLETED);
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        assertThat(ops.schedules().find("nightly").orElseThrow().lastOperation()).isPresent().get().isNotEqualTo(first);
        assertThat(idempotencyKeys()).hasSize(2);
    }

    @Test
    void bufferOneStartsTheLatestWaitingTickWhenThePreviousOperationEnds() {
        start(slow());
        ops.schedules().put("buffered", "reconcile", Schedule.every(Duration.ofSeconds(1)).onOverlap(Schedule.Overlap.BUFFER_ONE), Map.of());
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        OperationId first = ops.schedules().find("buffered").orElseThrow().lastOperation().orElseThrow();
        dispatcher.runDue();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            ops.relayNow();
        }
        Instant latest = clock.instant();
        ScheduleView waiting = ops.schedules().find("buffered").orElseThrow();
        assertThat(waiting.bufferedTickAt()).contains(latest);
        assertThat(waiting.skippedTicks()).as("the two earlier waiting ticks").isEqualTo(2);

        scheduler().signal(first, "go", Map.of());
        dispatcher.runDue();
        ops.relayNow();
        ScheduleView after = ops.schedules().find("buffered").orElseThrow();
        assertThat(after.bufferedTickAt()).isEmpty();
        assertThat(after.lastTickAt()).contains(latest);
        assertThat(scheduler().get(after.lastOperation().orElseThrow()).globals().get("scheduledFor", String.class)).isEqualTo(latest.toString());
    }

    @Test
    void afterAnOutageOfTenTicksCatchUpOfOneRunsOne() {
        start(quick());
        ops.schedules().put("catch-one", "reconcile", Schedule.every(Duration.ofSeconds(1)), Map.of());
        ops.schedules().put("catch-three", "reconcile", Schedule.every(Duration.ofSeconds(1)).onOverlap(Schedule.Overlap.ALLOW_ALL).catchUp(3), Map.of());
        clock.advance(Duration.ofMillis(10_500)); // ten ticks passed with no relay pass
        ops.relayNow();
        runToEnd();
        Instant lastMissed = Instant.parse("2026-11-21T10:00:10Z");
        ScheduleView one = ops.schedules().find("catch-one").orElseThrow();
        assertThat(one.lastTickAt()).contains(lastMissed);
        assertThat(one.skippedTicks()).isEqualTo(9);
        assertThat(one.nextTickAt()).contains(lastMissed.plusSeconds(1));
        assertThat(idempotencyKeys()).filteredOn(k -> k.startsWith("schedule:catch-one:")).containsExactly("schedule:catch-one:" + lastMissed);
        assertThat(idempotencyKeys()).filteredOn(k -> k.startsWith("schedule:catch-three:")).hasSize(3);
        assertThat(ops.schedules().find("catch-three").orElseThrow().skippedTicks()).isEqualTo(7);
    }

    @Test
    void pausedSchedulesStartNothingUntilResumedAndTriggerStartsOneNow() {
        start(quick());
        ops.schedules().put("hourly", "reconcile", Schedule.every(Duration.ofHours(1)), Map.of());
        ScheduleView paused = ops.schedules().pause("hourly");
        assertThat(paused.paused()).isTrue();
        assertThat(paused.nextTickAt()).isEmpty();
        clock.advance(Duration.ofHours(5));
        ops.relayNow();
        assertThat(idempotencyKeys()).isEmpty();

        OperationId now = ops.schedules().trigger("hourly");
        runToEnd();
        assertThat(scheduler().get(now).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ops.schedules().find("hourly").orElseThrow().lastOperation()).contains(now);

        ScheduleView resumed = ops.schedules().resume("hourly");
        assertThat(resumed.paused()).isFalse();
        assertThat(resumed.nextTickAt()).as("the next whole hour from the anchor, the missed ones skipped")
                .contains(Instant.parse("2026-11-21T16:00:00Z"));
        assertThatThrownBy(() -> ops.schedules().pause("nope")).isInstanceOf(ScheduleNotFoundException.class).hasMessageContaining("nope");
        assertThat(ops.schedules().delete("hourly")).isTrue();
        assertThat(ops.schedules().list()).isEmpty();
    }

    @Test
    void aCronScheduleTicksInItsTimeZoneAndSurvivesARestart() {
        start(quick());
        ops.schedules().put("at-two", "reconcile", Schedule.cron("0 2 * * *").inZone(ZoneId.of("Europe/Brussels")), Map.of());
        Instant twoInBrussels = Instant.parse("2026-11-22T01:00:00Z");
        assertThat(ops.schedules().find("at-two").orElseThrow().nextTickAt()).contains(twoInBrussels);
        ops.close();
        ops = null;
        clock.set(twoInBrussels.plusSeconds(5));
        start(quick()); // another start: the schedule is in the database
        assertThat(ops.schedules().list()).extracting(ScheduleView::name).containsExactly("at-two");
        ops.relayNow();
        runToEnd();
        assertThat(journal.entries()).containsExactly("work:" + twoInBrussels);
        assertThat(ops.schedules().find("at-two").orElseThrow().nextTickAt()).contains(twoInBrussels.plus(Duration.ofDays(1)));
    }

    @Test
    void changingTheTimingKeepsOneRowAndTicksFromTheNewTiming() {
        start(quick());
        ops.schedules().put("s", "reconcile", Schedule.every(Duration.ofHours(1)), Map.of());
        clock.advance(Duration.ofMinutes(10));
        ScheduleView changed = ops.schedules().put("s", "reconcile", Schedule.every(Duration.ofMinutes(1)), Map.of("v", 2));
        assertThat(changed.nextTickAt()).contains(clock.instant().plusSeconds(60));
        assertThat(ops.schedules().list()).hasSize(1);
        assertThat(ops.schedules().put("s", "reconcile", Schedule.every(Duration.ofMinutes(1)), Map.of("v", 3)).nextTickAt())
                .as("the same timing keeps its next tick").isEqualTo(changed.nextTickAt());
    }

    @Test
    void badSchedulesAreRefusedAndATickThatCannotStartPausesTheScheduleWithItsReason() {
        start(quick());
        assertThatThrownBy(() -> Schedule.cron("61 * * * *")).isInstanceOf(ConfigurationException.class).hasMessageContaining("minute");
        assertThatThrownBy(() -> Schedule.cron("0 0 30 2 *")).isInstanceOf(ConfigurationException.class).hasMessageContaining("matches no time");
        assertThatThrownBy(() -> Schedule.every(Duration.ofMillis(10))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Schedule.every(Duration.ofSeconds(1)).catchUp(0)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> ops.schedules().put("x", "missing", Schedule.every(Duration.ofSeconds(1)), Map.of()))
                .isInstanceOf(UnknownDefinitionException.class);
        assertThatThrownBy(() -> ops.schedules().put(" ", "reconcile", Schedule.every(Duration.ofSeconds(1)), Map.of()))
                .isInstanceOf(ConfigurationException.class);
        ops.schedules().put("needs-more", "reconcile", Schedule.every(Duration.ofSeconds(1)), Map.of());
        ops.close();
        // a new build whose definition needs an input the stored schedule does not give
        ops = DurableOps.builder().dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock).dispatcher(dispatcher)
                .relayInterval(Duration.ZERO).register(define("reconcile", f -> f.requires("account").action("work", ctx -> { }).result("done")))
                .build();
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        ScheduleView view = ops.schedules().find("needs-more").orElseThrow();
        assertThat(view.paused()).isTrue();
        assertThat(view.pauseReason()).hasValueSatisfying(r -> assertThat(r).contains("account"));
        assertThat(idempotencyKeys()).isEmpty();
        ops.schedules().put("needs-more", "reconcile", Schedule.every(Duration.ofSeconds(1)), Map.of("account", 1));
        assertThat(ops.schedules().resume("needs-more").pauseReason()).as("fixed and resumed").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        ops.relayNow();
        assertThat(idempotencyKeys()).hasSize(1);
    }
}
