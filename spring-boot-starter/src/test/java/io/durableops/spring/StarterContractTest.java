package io.durableops.spring;

import io.durableops.core.DurableOps;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import io.durableops.core.Schedules;
import io.durableops.jobrunr.StepJobRequestHandler;
import io.durableops.spring.testapp.OrderService;
import io.durableops.spring.testapp.ShipOrder;
import io.durableops.spring.testapp.StepLog;
import io.durableops.spring.testapp.TestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The starter in a Spring Boot application with JobRunr's starter, ours and a DataSource, on every database (one small
 * subclass each): an operation completes with no bean of the user's but its definition, and {@code enqueue} inside a
 * {@code @Transactional} method commits and rolls back with it.
 *
 * <p>why {@code @DirtiesContext}: each class's context holds a runtime named "default" (and a JobRunr server); a cached
 * context left open would keep the name taken for the next class's.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
        "jobrunr.background-job-server.enabled=true",
        "durable-ops.encryption.keys.test-1=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "durable-ops.relay-interval=200ms",
        "durable-ops.drain-timeout=5s"})
@DirtiesContext
abstract class StarterContractTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Autowired
    OperationScheduler scheduler;
    @Autowired
    OrderService orders;
    @Autowired
    StepLog steps;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    DurableOps durableOps;
    @Autowired
    OperationAdmin admin;
    @Autowired
    Schedules schedules;
    @Autowired
    StepJobRequestHandler handler;
    @Autowired
    HealthIndicator durableOpsHealthIndicator;
    @Autowired
    MeterRegistry meters;
    @Autowired
    TransactionTemplate transactions;

    @BeforeEach
    void applicationTable() {
        jdbc.execute("CREATE TABLE IF NOT EXISTS spring_test_orders (id VARCHAR(64) PRIMARY KEY)");
    }

    @Test
    void anOperationCompletesWithNoBeanOfTheUsersButItsDefinition() {
        String orderId = "o-" + UUID.randomUUID();

        OperationId id = scheduler.enqueue(ShipOrder.NAME, Map.of("orderId", orderId));
        OperationView done = scheduler.await(id, TIMEOUT);

        assertThat(done.status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(done.results().get("orderId", String.class)).isEqualTo(orderId);
        assertThat(steps.of(orderId)).containsExactly("reserve", "ship");
        assertThat(scheduler).isInstanceOf(SpringOperationScheduler.class);
        assertThat(admin).isSameAs(durableOps.admin());
        assertThat(schedules).isSameAs(durableOps.schedules());
        assertThat(handler).isNotNull();
        // the application's registries were handed to the builder: counters on the MeterRegistry, steps as observations
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(meters.find("durable.ops.operations.started")
                .tag("definition", ShipOrder.NAME).counter()).isNotNull());
        assertThat(meters.find("durable.ops.step").tags("durable.definition", ShipOrder.NAME, "durable.step", "ship").timer())
                .as("the step's observation, timed by Boot's meter handler").isNotNull();
    }

    @Test
    void enqueueInsideATransactionThatCommitsRunsTheOperationAfterTheCommit() {
        String orderId = "o-" + UUID.randomUUID();
        AtomicReference<Boolean> visibleBeforeCommit = new AtomicReference<>();

        // the runtime's own scheduler reads on a connection of its own: the operation is not there before the commit
        OperationId id = orders.place(orderId, false, inside -> visibleBeforeCommit.set(durableOps.scheduler().find(inside).isPresent()));

        assertThat(visibleBeforeCommit.get()).as("visible to another connection before the commit").isFalse();
        assertThat(scheduler.await(id, TIMEOUT).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(steps.of(orderId)).containsExactly("reserve", "ship");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_test_orders WHERE id = ?", Integer.class, orderId)).isEqualTo(1);
    }

    @Test
    void enqueueInsideATransactionThatRollsBackLeavesNothingAndRunsNothing() {
        String orderId = "o-" + UUID.randomUUID();
        AtomicReference<OperationId> enqueued = new AtomicReference<>();

        assertThatThrownBy(() -> orders.place(orderId, true, enqueued::set)).isInstanceOf(OrderService.OrderDeclinedException.class);

        assertThat(enqueued.get()).isNotNull();
        assertThat(scheduler.find(enqueued.get())).as("the operation after the rollback").isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_test_orders WHERE id = ?", Integer.class, orderId)).isZero();
        assertThat(durableOps.relayNow()).as("attempts the relay finds to dispatch").isZero();
        // a rolled-back operation must never run: no step of it for longer than the relay's passes and the dispatch probes
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> steps.of(orderId).isEmpty());
        assertThat(scheduler.find(enqueued.get())).isEmpty();
    }

    @Test
    void enqueueAllInsideATransactionTemplateCommitsOrRollsBackTheWholeBatch() {
        String a = "o-" + UUID.randomUUID();
        String b = "o-" + UUID.randomUUID();
        AtomicReference<List<OperationId>> rolledBack = new AtomicReference<>();

        transactions.executeWithoutResult(status -> {
            rolledBack.set(scheduler.enqueueAll(ShipOrder.NAME, List.of(Map.of("orderId", a), Map.of("orderId", b))));
            status.setRollbackOnly();
        });
        List<OperationId> committed = transactions.execute(status ->
                scheduler.enqueueAll(ShipOrder.NAME, List.of(Map.of("orderId", a + "-2"), Map.of("orderId", b + "-2"))));

        assertThat(rolledBack.get()).hasSize(2).allSatisfy(id -> assertThat(scheduler.find(id)).isEmpty());
        assertThat(committed).hasSize(2);
        for (OperationId id : committed) assertThat(scheduler.await(id, TIMEOUT).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(steps.of(a)).isEmpty();
        assertThat(steps.of(b)).isEmpty();
    }

    @Test
    void theHealthIndicatorReportsTheNode() {
        await().atMost(TIMEOUT).until(() -> durableOpsHealthIndicator.health().getStatus().equals(Status.UP));

        Map<String, Object> details = durableOpsHealthIndicator.health().getDetails();
        assertThat(details).containsEntry("databaseReachable", true).containsEntry("relayRunning", true)
                .containsKeys("lastRelayPass", "backlog", "stranded");
        assertThat(details.get("lastRelayPass")).isNotEqualTo("never");
    }
}
