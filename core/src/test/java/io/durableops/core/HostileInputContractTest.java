package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.SetAsideWork;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Odd, huge and tampered values, on a real database: each gets a clear error, or a visible state with its reason, and
 * whatever is accepted can be read back. Every database runs it through a small subclass.
 */
abstract class HostileInputContractTest extends EngineTestBase {

    /** Pairs that differ: in case, a trailing space, an accent, an emoji. */
    static final List<List<String>> DISTINCT = List.of(List.of("req-AbC123", "req-abc123"), List.of("req-7", "req-7 "),
            List.of("req-\uD83D\uDE00", "req-\uD83D\uDE08"), List.of("req-e", "req-\u00e9"));

    @Test
    void idempotencyKeysThatDifferInAnyByteNameDifferentOperations() {
        start(define("keyed", f -> f.action("a", record(journal, "a")).result("done")));
        for (List<String> pair : DISTINCT) {
            OperationId first = scheduler().enqueue("keyed", Map.of("n", 1), EnqueueOptions.idempotencyKey(pair.get(0)));
            OperationId second = scheduler().enqueue("keyed", Map.of("n", 1), EnqueueOptions.idempotencyKey(pair.get(1)));
            assertThat(second).as("'%s' and '%s'", pair.get(0), pair.get(1)).isNotEqualTo(first);
            assertThat(scheduler().enqueue("keyed", Map.of("n", 1), EnqueueOptions.idempotencyKey(pair.get(1))))
                    .as("the same key still finds its operation").isEqualTo(second);
        }
    }

    @Test
    void aSignalWakesOnlyTheWaitOfItsExactName() {
        start(define("waits", f -> f.awaitSignal("wait", "ping", WaitOptions.defaults()).result("done")));
        OperationId id = scheduler().enqueue("waits", Map.of());
        dispatcher.runDue();
        for (String near : List.of("PING", "ping ", "p\u00efng")) {
            scheduler().signal(id, near, null);
            dispatcher.runDue();
            assertThat(scheduler().get(id).status()).as("signal '%s'", near).isEqualTo(OperationStatus.RUNNING);
        }
        scheduler().signal(id, "ping", null);
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
    }

    @Test
    void aGlobalOverTheSizeLimitFailsItsTryWithTheLimitAndLeavesTheOperationReadable() {
        AtomicBoolean huge = new AtomicBoolean(true);
        start(define("big", f -> f
                .action("fill", ctx -> ctx.set("value", huge.get() ? "y".repeat(20 << 20) : "small"), StepOptions.retry(RetryPolicy.none()))
                .action("after", record(journal, "after"))
                .result("done")));
        OperationId id = scheduler().enqueue("big", Map.of("kept", "yes"));
        dispatcher.runDue();
        OperationView failed = scheduler().get(id);
        assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failed.globals().get("kept", String.class)).isEqualTo("yes");
        ErrorView error = scheduler().attempts(id).get(0).errors().get(0);
        assertThat(error.errorClass()).isEqualTo(SerializationException.class.getName());
        assertThat(error.message()).contains("global 'value'").contains("at most 4194304 bytes");

        huge.set(false); // the code is fixed; an operator retries
        ops.admin().as("ann").retry(id);
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().get(id).globals().get("value", String.class)).isEqualTo("small");
    }

    @Test
    void globalsThatGrowPastTheLimitTogetherFailTheTryThatMadeThemSo() {
        start(define("growing", f -> f
                .action("one", ctx -> ctx.set("a", "x".repeat(3 << 20)))
                .action("two", ctx -> ctx.set("b", "x".repeat(3 << 20)), StepOptions.retry(RetryPolicy.none()))
                .result("done")));
        OperationId id = scheduler().enqueue("growing", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(id).currentStep()).isEqualTo("two");
        assertThat(scheduler().attempts(id).get(1).errors().get(0).message()).contains("the globals of operation").contains("at most 4194304 bytes");
        assertThat(scheduler().get(id).globals().get("a", String.class)).hasSize(3 << 20);
    }

    @Test
    void inputOverTheSizeLimitIsRefusedAndNothingIsStored() {
        start(define("in", f -> f.action("a", record(journal, "a")).result("done")));
        assertThatThrownBy(() -> scheduler().enqueue("in", Map.of("blob", "z".repeat(5 << 20))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("at most 4194304 bytes");
        assertThat(ops.admin().count(OperationQuery.builder().build())).isZero();
    }

    @Test
    void valuesNestedTooDeeplyAreRefusedWithAClearError() {
        start(define("deep", f -> f.action("a", record(journal, "a")).result("done")));
        for (int depth : new int[]{1_001, 10_000}) {
            Map<String, Object> nested = new HashMap<>();
            Map<String, Object> inner = nested;
            for (int i = 0; i < depth; i++) {
                Map<String, Object> next = new HashMap<>();
                inner.put("x", next);
                inner = next;
            }
            assertThatThrownBy(() -> scheduler().enqueue("deep", Map.of("tree", nested))).as("%d levels", depth)
                    .isInstanceOf(SerializationException.class).hasMessageContaining("input 'tree'");
        }
    }

    @Test
    void valuesThatAreNotDataAreRefused() {
        start(define("odd", f -> f.action("a", ctx -> ctx.set("task", (Runnable) () -> { }), StepOptions.retry(RetryPolicy.none()))
                .result("done")));
        assertThatThrownBy(() -> scheduler().enqueue("odd", Map.of("thread", Thread.currentThread())))
                .isInstanceOf(SerializationException.class).hasMessageContaining("java.lang.Thread").hasMessageContaining("not data");
        assertThatThrownBy(() -> scheduler().enqueue("odd", Map.of("bytes", new java.io.ByteArrayInputStream(new byte[3]))))
                .isInstanceOf(SerializationException.class).hasMessageContaining("not data");
        OperationId id = scheduler().enqueue("odd", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().attempts(id).get(0).errors().get(0).message()).contains("global 'task'").contains("lambda");
    }

    @Test
    void instantsNoDatabaseStoresAreAConfigurationException() {
        start(define("when", f -> f.action("a", record(journal, "a")).result("done")));
        assertThatThrownBy(() -> EnqueueOptions.runAt(Instant.MAX)).isInstanceOf(ConfigurationException.class).hasMessageContaining("9999");
        assertThatThrownBy(() -> EnqueueOptions.runAt(Instant.parse("+10000-01-01T00:00:00Z"))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> EnqueueOptions.delay(Duration.ofDays(365L * 9000))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> EnqueueOptions.deadline(Duration.ofDays(365L * 9000))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> scheduler().schedule("when", Map.of(), Duration.ofSeconds(Long.MAX_VALUE)))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> WaitOptions.timeout(Duration.ofDays(365L * 9000))).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ofDays(365L * 9000))).isInstanceOf(ConfigurationException.class);
        assertThat(ops.admin().count(OperationQuery.builder().build())).isZero();
    }

    @Test
    void aDeclaredDurationTooFarAheadIsRefusedAtRegistration() {
        assertThatThrownBy(() -> start(define("far", f -> f
                .action("a", record(journal, "a"), StepOptions.delay(Duration.ofDays(365L * 9000)))
                .result("done"))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("step 'a' has a delay of").hasMessageContaining("1000 years");
    }

    @Test
    void aStepThatNamesABadTimeFailsOnceWithTheReason() {
        start(define("timing", f -> f
                .action("negative", ctx -> {
                    journal.ran("negative");
                    ctx.delayNext(Duration.ofSeconds(-1));
                })
                .action("never", record(journal, "never")).result("done")),
                define("far", f -> f
                        .action("far", ctx -> ctx.runNextAt(Instant.parse("+10000-01-01T00:00:00Z")))
                        .action("never", record(journal, "never")).result("done")));
        OperationId negative = scheduler().enqueue("timing", Map.of());
        OperationId far = scheduler().enqueue("far", Map.of());
        runToEnd();
        assertThat(journal.count("negative")).as("not retried").isEqualTo(1);
        assertThat(scheduler().get(negative).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(negative).failureReason()).hasValueSatisfying(r -> assertThat(r).contains("delayNext(PT-1S)"));
        assertThat(scheduler().get(far).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(scheduler().get(far).failureReason()).hasValueSatisfying(r -> assertThat(r).contains("9999"));
        assertThat(scheduler().attempts(far)).hasSize(1);
    }

    @Test
    void aFrozenBuilderAndACallToAnUnregisteredDefinitionAreRefusedAtBuild() {
        DurableOps.Builder builder = DurableOps.builder().dataSource(pausing).encryptor(Encryptor.plaintext()).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO)
                .register(define("caller", f -> f.call("ask", "missing", ctx -> Map.of(), WaitOptions.defaults()).result("done")));
        assertThatThrownBy(builder::build).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("'caller' step 'ask' calls 'missing'");
        DurableOps.Builder fine = DurableOps.builder().dataSource(pausing).encryptor(Encryptor.plaintext()).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO).register(define("x", f -> f.result("done")));
        ops = fine.build();
        assertThatThrownBy(() -> fine.register(define("late", f -> f.result("done"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("after build()");
    }

    @Test
    void reasonsHaveOneLimitEverywhere() {
        assertThatThrownBy(() -> start(define("long", f -> f.failure("stop", "r".repeat(3_000)))))
                .isInstanceOf(DefinitionException.class).hasMessageContaining("at most 2000");
        start(define("ends", f -> f
                        .action("wait", record(journal, "wait"), StepOptions.delay(Duration.ofHours(1)))
                        .result("done")),
                define("fails", f -> f.action("a", ctx -> ctx.failWith("w".repeat(3_000))).result("done")));
        OperationId id = scheduler().enqueue("ends", Map.of());
        assertThatThrownBy(() -> ops.admin().as("ann").fail(id, "x".repeat(3_000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2000 characters");
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(ops.admin().audit(id)).isEmpty();
        ops.admin().as("ann").fail(id, "x".repeat(2_000));
        assertThat(scheduler().get(id).failureReason()).hasValue("x".repeat(2_000));

        OperationId failing = scheduler().enqueue("fails", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(failing).failureReason()).hasValueSatisfying(r -> assertThat(r).hasSize(2_000).endsWith("..."));
    }

    @Test
    void aTamperedSignalPayloadFailsTheOperationAtOnceWithItsReason() throws Exception {
        start(define("signalled", f -> f.awaitSignal("wait", "go", WaitOptions.defaults()).result("done")));
        OperationId id = scheduler().enqueue("signalled", Map.of());
        dispatcher.runDue();
        scheduler().signal(id, "go", Map.of("secret", 42));
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE durable_signals SET payload = ? WHERE operation_id = ?")) {
            ps.setBytes(1, "k1:tampered-bytes-that-do-not-authenticate".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.setString(2, id.toString());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        runToEnd();
        OperationView view = scheduler().get(id);
        assertThat(view.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(view.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("cannot decrypt the payload of signal 'go'"));
        assertThat(scheduler().attempts(id).get(0).attemptCount()).as("not retried").isEqualTo(1);
    }

    @Test
    void aConnectionLostMidEnqueueReportsWhatWasBeingDoneAndWhy() {
        start(define("lost", f -> f.action("a", record(journal, "a")).result("done")));
        pausing.breakBefore(sql -> sql.startsWith("INSERT INTO durable_attempts"));
        assertThatThrownBy(() -> scheduler().enqueue("lost", Map.of()))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("could not enqueue operation 'lost'")
                .hasMessageContaining("Communications link failure")
                .hasMessageContaining("08S01");
        assertThat(ops.admin().count(OperationQuery.builder().build())).as("rolled back").isZero();
    }

    @Test
    void anUndecryptableStagedItemIsSetAsideAndTheRelayServesEveryoneElse() throws Exception {
        start(define("stages", f -> f.action("a", ctx -> ctx.stage(new StagedWork(java.util.UUID.randomUUID(), "mail", "{}"))).result("done")),
                define("plain", f -> f.action("b", record(journal, "b")).result("done")));
        OperationId staging = scheduler().enqueue("stages", Map.of());
        dispatcher.failDispatches(true); // the staged item and the next attempts stay for the relay
        dispatcher.runDue();
        OperationId unrelated = scheduler().enqueue("plain", Map.of());
        tamper("UPDATE durable_staged_work SET payload = ?");
        dispatcher.failDispatches(false);
        clock.advance(Duration.ofSeconds(10)); // past the dispatch grace

        ops.relayNow();
        runToEnd();
        assertThat(scheduler().get(unrelated).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(scheduler().get(staging).status()).isEqualTo(OperationStatus.COMPLETED);
        List<SetAsideWork> aside = ops.admin().setAsideWork(10);
        assertThat(aside).singleElement().satisfies(item -> {
            assertThat(item.operationId()).isEqualTo(staging);
            assertThat(item.kind()).isEqualTo("mail");
            assertThat(item.reason()).contains("cannot decrypt staged work");
        });
        ops.relayNow();
        assertThat(dispatcher.staged()).as("a set-aside item is not offered again").isEmpty();

        ops.admin().as("ann").releaseSetAside(aside.get(0).id());
        assertThat(ops.admin().setAsideWork(10)).isEmpty();
        ops.relayNow(); // still undecryptable: set aside again
        assertThat(ops.admin().setAsideWork(10)).hasSize(1);
        ops.admin().as("ann").discardSetAside(aside.get(0).id());
        assertThat(ops.admin().setAsideWork(10)).isEmpty();
        assertThatThrownBy(() -> ops.admin().as("ann").discardSetAside(aside.get(0).id())).isInstanceOf(IllegalOperationStateException.class);
        assertThat(ops.admin().audit(staging)).extracting(AuditEntry::action).containsExactly("release-staged", "discard-staged");
    }

    @Test
    void aStagedItemTheDispatcherRefusesAloneIsSetAsideAfterTenPassesWhileTheOthersGo() {
        RefusingDispatcher refusing = new RefusingDispatcher(dispatcher);
        ops = DurableOps.builder().dataSource(pausing).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock).dispatcher(refusing)
                .relayInterval(Duration.ZERO)
                .register(define("stages", f -> f.action("a", ctx -> {
                    ctx.stage(new StagedWork(java.util.UUID.randomUUID(), "mail", "{}"));
                    ctx.stage(new StagedWork(java.util.UUID.randomUUID(), "poison", "{}"));
                }).result("done")))
                .build();
        OperationId id = scheduler().enqueue("stages", Map.of());
        dispatcher.runDue();
        assertThat(dispatcher.staged()).as("the batch was refused after the commit").isEmpty();
        for (int pass = 1; pass <= 10; pass++) {
            clock.advance(Duration.ofSeconds(10));
            ops.relayNow();
            assertThat(dispatcher.staged()).extracting(StagedWork::kind).as("pass %d", pass).containsExactly("mail");
            assertThat(ops.admin().setAsideWork(10)).as("pass %d", pass).hasSize(pass < 10 ? 0 : 1);
        }
        assertThat(ops.admin().setAsideWork(10).get(0).reason()).contains("refused it on 10 passes in a row");
        assertThat(scheduler().get(id).status()).as("a staged item does not hold its operation back").isEqualTo(OperationStatus.COMPLETED);
    }

    /** A dispatcher that refuses every batch holding staged work of kind "poison". */
    static final class RefusingDispatcher implements io.durableops.core.spi.DispatcherFactory, io.durableops.core.spi.Dispatcher {
        private final io.durableops.core.testing.ManualDispatcher target;

        RefusingDispatcher(io.durableops.core.testing.ManualDispatcher target) {
            this.target = target;
        }

        @Override
        public io.durableops.core.spi.Dispatcher create(String instanceName, io.durableops.core.spi.AttemptRunner runner) {
            target.create(instanceName, runner);
            return this;
        }

        @Override
        public void dispatch(List<io.durableops.core.spi.DispatchRequest> requests) {
            target.dispatch(requests);
        }

        @Override
        public void dispatchStaged(List<StagedWork> work) {
            if (work.stream().anyMatch(w -> w.kind().equals("poison"))) throw new IllegalStateException("unknown kind 'poison'");
            target.dispatchStaged(work);
        }
    }

    private void tamper(String update) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(update)) {
            ps.setBytes(1, "k1:tampered-bytes-that-do-not-authenticate".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aFailureWithAHugeMessageIsRecordedCut() {
        start(define("loud", f -> f.action("a", ctx -> {
            throw new IllegalStateException("m".repeat(10 << 20));
        }, StepOptions.retry(RetryPolicy.none())).result("done")));
        OperationId id = scheduler().enqueue("loud", Map.of());
        dispatcher.runDue();
        assertThat(scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        ErrorView error = scheduler().attempts(id).get(0).errors().get(0);
        assertThat(error.message()).hasSize(64 * 1024).endsWith("more characters not stored]");
    }

    @Test
    void aBlankKeyIdIsRefused() {
        assertThatThrownBy(() -> AesGcmEncryptor.of("  ", KEY)).isInstanceOf(ConfigurationException.class).hasMessageContaining("not blank");
    }

    long rows(String table) throws Exception {
        try (Connection c = db.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
