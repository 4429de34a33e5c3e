package io.durableops.core;

import io.durableops.core.admin.AttemptDetail;
import io.durableops.core.admin.DefinitionView;
import io.durableops.core.admin.DefinitionView.Edge;
import io.durableops.core.admin.DefinitionView.Kind;
import io.durableops.core.admin.DefinitionView.When;
import io.durableops.core.admin.StepCount;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin read API of definitions and positions ({@code describe}, {@code stepCounts}, {@code attemptDetails})
 * against a real database; every database runs it through a small subclass.
 */
abstract class DefinitionViewContractTest {
    static final Instant START = Instant.parse("2026-12-01T08:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final AtomicBoolean approve = new AtomicBoolean(true);
    final AtomicBoolean providerDown = new AtomicBoolean(true);
    TestDatabase db;
    DurableOps ops;

    abstract TestDatabase database();

    @BeforeEach
    void start() {
        db = database();
        ops = DurableOps.builder().dataSource(db.dataSource()).encryptor(Encryptor.plaintext()).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO)
                .register(OperationDefinition.of("order", 1, f -> f
                                .action("reserve", ctx -> { })
                                .result("done")),
                        OperationDefinition.of("order", 2, f -> f
                                .action("reserve", ctx -> { }, StepOptions.delay(Duration.ofMinutes(5)))
                                .decision("approved?", ctx -> approve.get(), "await-payment", "rejected")
                                .awaitSignal("await-payment", "paid", WaitOptions.timeout(Duration.ofHours(2)).onTimeout("rejected"))
                                .action("charge", ctx -> {
                                    if (providerDown.get()) throw new IllegalStateException("provider down");
                                }, StepOptions.retry(RetryPolicy.fixed(3, Duration.ofSeconds(10))))
                                .result("done")
                                .branch("refusals")
                                .failure("rejected", "not approved")))
                .build();
    }

    @AfterEach
    void close() {
        if (ops != null) ops.close();
        if (db != null) db.close();
    }

    @Test
    void describesEachVersionWithItsStepsAndDeclaredEdges() {
        DefinitionView order = ops.admin().describe("order").orElseThrow();
        assertThat(order.versions()).extracting(DefinitionView.Version::version).containsExactly(1, 2);
        assertThat(order.latest().version()).isEqualTo(2);
        assertThat(order.version(1).orElseThrow().steps()).extracting(DefinitionView.Step::name).containsExactly("reserve", "done");

        DefinitionView.Version v2 = order.version(2).orElseThrow();
        assertThat(v2.start()).isEqualTo("reserve");
        assertThat(v2.steps()).extracting(DefinitionView.Step::name)
                .containsExactly("reserve", "approved?", "await-payment", "charge", "done", "rejected");
        DefinitionView.Step reserve = v2.step("reserve").orElseThrow();
        assertThat(reserve.kind()).isEqualTo(Kind.ACTION);
        assertThat(reserve.delay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(reserve.edges()).containsExactly(new Edge("approved?", When.NEXT));
        assertThat(v2.step("approved?").orElseThrow().edges())
                .containsExactly(new Edge("await-payment", When.IF_TRUE), new Edge("rejected", When.IF_FALSE));
        DefinitionView.Step wait = v2.step("await-payment").orElseThrow();
        assertThat(wait.kind()).isEqualTo(Kind.AWAIT_SIGNAL);
        assertThat(wait.isWait()).isTrue();
        assertThat(wait.signal()).contains("paid");
        assertThat(wait.waitTimeout()).contains(Duration.ofHours(2));
        assertThat(wait.edges()).containsExactly(new Edge("charge", When.NEXT), new Edge("rejected", When.ON_TIMEOUT));
        assertThat(v2.step("charge").orElseThrow().maxTries()).isEqualTo(3);
        DefinitionView.Step rejected = v2.step("rejected").orElseThrow();
        assertThat(rejected.kind()).isEqualTo(Kind.FAILURE);
        assertThat(rejected.branch()).isEqualTo("refusals");
        assertThat(rejected.edges()).isEmpty();

        assertThat(ops.admin().describe("no-such-definition")).isEmpty();
        assertThat(ops.admin().describe(null)).isEmpty();
    }

    @Test
    void countsOperationsPerVersionStepAndStatus() {
        OperationId waiting1 = enqueueAndRunDue();
        OperationId waiting2 = enqueueAndRunDue();
        approve.set(false);
        OperationId refused = enqueueAndRunDue();
        approve.set(true);
        OperationId failed = enqueueAndRunDue();
        ops.scheduler().signal(failed, "paid", null);
        runDueFor(Duration.ofMinutes(2)); // three tries, 10 s apart
        OperationId delayed = ops.scheduler().enqueue("order", Map.of());

        assertThat(ops.scheduler().get(waiting1).currentStep()).isEqualTo("await-payment");
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(refused).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(delayed).currentStep()).isEqualTo("reserve");
        assertThat(ops.admin().stepCounts()).containsExactlyInAnyOrder(
                new StepCount("order", 2, "await-payment", OperationStatus.RUNNING, 2),
                new StepCount("order", 2, "rejected", OperationStatus.FAILED, 1),
                new StepCount("order", 2, "charge", OperationStatus.FAILED, 1),
                new StepCount("order", 2, "reserve", OperationStatus.RUNNING, 1));
        assertThat(waiting2).isNotEqualTo(waiting1);
    }

    @Test
    void attemptDetailsTellWhenEachStepWasReachedAWaitsDeadlineAndTheGeneration() {
        OperationId id = enqueueAndRunDue();
        List<AttemptView> attempts = ops.scheduler().attempts(id);
        List<AttemptDetail> details = ops.admin().attemptDetails(id);
        assertThat(details).extracting(AttemptDetail::attemptId).containsExactlyElementsOf(attempts.stream().map(AttemptView::id).toList());
        AttemptDetail reserve = details.get(0);
        assertThat(reserve.createdAt()).isEqualTo(START);
        assertThat(reserve.waitDeadline()).isEmpty();
        AttemptDetail wait = details.get(2);
        Instant reached = START.plus(Duration.ofMinutes(5));
        assertThat(wait.createdAt()).isEqualTo(reached);
        assertThat(wait.waitDeadline()).contains(reached.plus(Duration.ofHours(2)));

        ops.scheduler().signal(id, "paid", null);
        runDueFor(Duration.ofSeconds(15)); // the first try fails, the second is due 10 s later and fails too
        AttemptDetail charge = ops.admin().attemptDetails(id).get(3);
        AttemptView chargeView = ops.scheduler().attempts(id).get(3);
        assertThat(chargeView.step()).isEqualTo("charge");
        assertThat(chargeView.attemptCount()).isEqualTo(2);
        assertThat(charge.generation()).isGreaterThan(1); // each retry is a new dispatch, a new job id
        assertThat(charge.waitDeadline()).isEmpty();
        assertThat(ops.admin().attemptDetails(OperationId.parse("00000000-0000-0000-0000-000000000000"))).isEmpty();
    }

    /** Enqueues an order and runs it to wherever it stops, past its 5-minute delay. */
    OperationId enqueueAndRunDue() {
        clock.set(START);
        OperationId id = ops.scheduler().enqueue("order", Map.of());
        runDueFor(Duration.ofMinutes(5));
        return id;
    }

    void runDueFor(Duration span) {
        io.durableops.core.test.Drive.runFor(clock, dispatcher, span);
    }
}
