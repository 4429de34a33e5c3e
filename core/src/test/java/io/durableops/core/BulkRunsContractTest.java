package io.durableops.core;

import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bulk runs on a real database, without threads: each run's id is recorded with the audit entry of every operation it
 * changed, {@link OperationQuery.Builder#bulkRun} lists exactly those in whatever status they are in now, and a
 * {@link BulkListener} hears the eligible total and the counts as the run goes.
 */
abstract class BulkRunsContractTest {
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final AtomicBoolean providerDown = new AtomicBoolean(true);
    TestDatabase db;
    DurableOps ops;

    abstract TestDatabase database();

    @BeforeEach
    void start() {
        db = database();
        ops = DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("k1", AdminContractTest.KEY)).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO)
                .register(define("billing", f -> f
                                .action("charge-card", ctx -> {
                                    if (providerDown.get()) throw new IllegalStateException("payment provider unavailable");
                                }, StepOptions.retry(RetryPolicy.none()))
                                .result("done")),
                        define("shipping", f -> f.action("pack", ctx -> { }, StepOptions.delay(Duration.ofHours(1))).result("shipped")))
                .build();
    }

    @AfterEach
    void close() {
        if (ops != null) ops.close();
        if (db != null) db.close();
    }

    OperationAdmin admin() {
        return ops.admin();
    }

    List<OperationId> failedBilling(int n) {
        List<OperationId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            ids.add(ops.scheduler().enqueue("billing", Map.of("n", i)));
        }
        dispatcher.runDue();
        return ids;
    }

    List<OperationId> ids(OperationQuery query) {
        return admin().list(query).items().stream().map(OperationSummary::id).toList();
    }

    /** The bulk_run column of each audit entry of an operation, oldest first ("-" for none). */
    List<String> auditedRuns(OperationId id) {
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT bulk_run FROM durable_audit WHERE operation_id = ? ORDER BY sequence_no")) {
            ps.setString(1, id.toString());
            List<String> runs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) runs.add(rs.getString(1) == null ? "-" : rs.getString(1).trim());
            }
            return runs;
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aRunsIdIsAuditedOnEveryOperationItChangedAndTheFilterListsThemInTheirStatusNow() {
        List<OperationId> failed = failedBilling(4);
        OperationId running = ops.scheduler().enqueue("shipping", Map.of());
        dispatcher.runDue();
        admin().as("ann").retry(failed.get(3)); // a single action: no run id
        providerDown.set(false);

        UUID run = UUID.randomUUID();
        List<String> heard = new ArrayList<>();
        OperationQuery failedOnes = OperationQuery.builder().statuses(OperationStatus.FAILED).definition("billing").build();
        BulkResult result = admin().as("ann").retryAll(failedOnes, run, (eligible, changed, skipped) -> {
            heard.add(eligible + "/" + changed + "/" + skipped);
            // another operator gets to the second one first: the run skips it
            if (changed == 0 && skipped == 0) admin().as("bob").retry(failed.get(1));
        });
        assertThat(result).isEqualTo(new BulkResult(BulkAction.RETRY, 2, 1));
        assertThat(result.runId()).isEqualTo(run);
        assertThat(heard).containsExactly("3/0/0", "3/1/0", "3/1/1", "3/2/1");
        dispatcher.runDue();

        assertThat(auditedRuns(failed.get(0))).containsExactly(run.toString());
        assertThat(auditedRuns(failed.get(1))).as("bob's own retry, not the run's").containsExactly("-");
        assertThat(auditedRuns(failed.get(2))).containsExactly(run.toString());
        assertThat(auditedRuns(failed.get(3))).containsExactly("-");

        OperationQuery byRun = OperationQuery.builder().bulkRun(run).build();
        assertThat(ids(byRun)).as("the set it acted on, no longer FAILED").containsExactlyInAnyOrder(failed.get(0), failed.get(2));
        assertThat(admin().list(byRun).items()).extracting(OperationSummary::status).containsOnly(OperationStatus.COMPLETED);
        assertThat(admin().count(byRun)).isEqualTo(2);
        assertThat(admin().countByStatus(byRun).get(OperationStatus.COMPLETED)).isEqualTo(2);
        assertThat(ids(byRun.toBuilder().statuses(OperationStatus.FAILED).build())).as("with the other filters").isEmpty();
        assertThat(ids(OperationQuery.builder().bulkRun(UUID.randomUUID()).build())).as("an unknown run").isEmpty();
        assertThat(ids(OperationQuery.all())).contains(running);
        assertThat(byRun.toString()).isEqualTo("changed by bulk run " + run);
        assertThat(byRun.toBuilder().build()).isEqualTo(byRun);
        assertThat(byRun.isFiltered()).isTrue();
        assertThat(byRun.toBuilder().bulkRun(null).build().isFiltered()).isFalse();
    }

    @Test
    void everyBulkActionHasItsOwnRunAndTheListenerHearsTheEligibleTotalFirst() {
        List<OperationId> parcels = new ArrayList<>();
        for (int i = 0; i < 3; i++) parcels.add(ops.scheduler().enqueue("shipping", Map.of("n", i)));
        dispatcher.runDue();
        OperationAdmin.Operator ann = admin().as("ann");
        BulkResult signalled = ann.signalAll(OperationQuery.builder().ids(List.of(parcels.get(0))).build(), "nudge", null);
        BulkResult expired = ann.expireAll(OperationQuery.builder().ids(List.of(parcels.get(1))).build());
        UUID cancelRun = UUID.randomUUID();
        List<Long> totals = new ArrayList<>();
        BulkResult cancelled = ann.cancelAll(OperationQuery.all(), cancelRun, (eligible, changed, skipped) -> totals.add(eligible));
        assertThat(List.of(signalled.runId(), expired.runId(), cancelled.runId())).doesNotHaveDuplicates().doesNotContainNull();
        assertThat(cancelled).isEqualTo(new BulkResult(BulkAction.CANCEL, 2, 0));
        assertThat(totals).containsExactly(2L, 2L, 2L);
        assertThat(ids(OperationQuery.builder().bulkRun(signalled.runId()).build())).containsExactly(parcels.get(0));
        assertThat(ids(OperationQuery.builder().bulkRun(expired.runId()).build())).containsExactly(parcels.get(1));
        assertThat(ids(OperationQuery.builder().bulkRun(cancelRun).build())).as("the signalled one was cancelled too")
                .containsExactlyInAnyOrder(parcels.get(0), parcels.get(2));

        UUID failRun = UUID.randomUUID();
        OperationId late = ops.scheduler().enqueue("shipping", Map.of());
        dispatcher.runDue();
        assertThat(ann.failAll(OperationQuery.all(), "carrier gone", failRun, BulkListener.NONE).changed()).isEqualTo(1);
        assertThat(ids(OperationQuery.builder().bulkRun(failRun).build())).containsExactly(late);
        assertThat(auditedRuns(late)).containsExactly(failRun.toString());
    }

    @Test
    void aListenerThatThrowsEndsTheRunAndWhatWasDoneStaysDoneAndAudited() {
        List<OperationId> failed = failedBilling(3);
        UUID run = UUID.randomUUID();
        assertThatThrownBy(() -> admin().as("ann").retryAll(OperationQuery.all(), run, (eligible, changed, skipped) -> {
            if (changed == 1) throw new IllegalStateException("stop here");
        })).isInstanceOf(IllegalStateException.class).hasMessage("stop here");
        assertThat(ids(OperationQuery.builder().bulkRun(run).build())).hasSize(1);
        assertThat(admin().count(OperationQuery.builder().statuses(OperationStatus.FAILED).build())).as("the rest untouched").isEqualTo(2);
        BulkResult again = admin().as("ann").retryAll(OperationQuery.builder().statuses(OperationStatus.FAILED).build());
        assertThat(again).as("the same action again changes only what is still eligible").isEqualTo(new BulkResult(BulkAction.RETRY, 2, 0));
        assertThat(failed).allSatisfy(id -> assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.RUNNING));
        assertThatThrownBy(() -> admin().as("ann").retryAll(OperationQuery.all(), null, BulkListener.NONE))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("runId");
    }
}
