package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.FailureGroup;
import io.durableops.core.admin.LastError;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSort;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.admin.StatusCounts;
import io.durableops.core.test.Journal;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The list's query options and the bulk actions on a real database, without threads: last errors, failure groups,
 * the error-class and wildcard filters, sort orders with keyset paging, selections, and bulk cancel, fail and signal.
 */
abstract class AdminListsContractTest {
    static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    final MutableClock clock = new MutableClock(START);
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final Journal journal = new Journal();
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
                                    journal.ran("charge-card");
                                    if (providerDown.get()) throw new IllegalStateException("payment provider unavailable\nsecond line");
                                }, StepOptions.retry(RetryPolicy.none()))
                                .result("done")),
                        define("billing_eu", f -> f.action("charge-card", ctx -> {
                            throw new java.io.UncheckedIOException(new java.io.IOException("eu gateway down"));
                        }, StepOptions.retry(RetryPolicy.none())).result("done")),
                        define("shipping", f -> f
                                .action("pack", record(journal, "pack"), StepOptions.delay(Duration.ofHours(1)))
                                .result("shipped")))
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

    OperationId enqueueAt(Instant at, String definition, EnqueueOptions options) {
        clock.set(at);
        OperationId id = ops.scheduler().enqueue(definition, Map.of(), options);
        dispatcher.runDue();
        return id;
    }

    List<OperationId> ids(OperationQuery query) {
        return admin().list(query).items().stream().map(OperationSummary::id).toList();
    }

    @Test
    void failedOperationsAreGroupedByDefinitionStepAndErrorClassAndFilteredToAGroup() {
        OperationId b1 = enqueueAt(START, "billing", EnqueueOptions.defaults());
        OperationId b2 = enqueueAt(START.plusSeconds(1), "billing", EnqueueOptions.defaults());
        OperationId eu = enqueueAt(START.plusSeconds(2), "billing_eu", EnqueueOptions.defaults());
        OperationId shipping = enqueueAt(START.plusSeconds(3), "shipping", EnqueueOptions.defaults());
        OperationId running = enqueueAt(START.plusSeconds(4), "shipping", EnqueueOptions.defaults());
        admin().as("ann").fail(shipping, "customer gone");

        assertThat(admin().failureGroups(OperationQuery.all())).containsExactly(
                new FailureGroup("billing", "charge-card", Optional.of("java.lang.IllegalStateException"), 2),
                new FailureGroup("billing_eu", "charge-card", Optional.of("java.io.UncheckedIOException"), 1),
                new FailureGroup("shipping", "pack", Optional.empty(), 1));
        assertThat(admin().failureGroups(OperationQuery.builder().definition("billing").build())).as("the current filters apply")
                .containsExactly(new FailureGroup("billing", "charge-card", Optional.of("java.lang.IllegalStateException"), 2));
        assertThat(admin().failureGroups(OperationQuery.builder().statuses(OperationStatus.RUNNING).build())).isEmpty();

        OperationQuery group = OperationQuery.builder().definition("billing").currentStep("charge-card")
                .errorClass("java.lang.IllegalStateException").build();
        assertThat(ids(group)).containsExactly(b2, b1);
        assertThat(admin().countEligible(BulkAction.RETRY, group)).isEqualTo(2);
        assertThat(ids(OperationQuery.builder().errorClass("java.*").build())).containsExactly(eu, b2, b1);
        assertThat(ids(OperationQuery.builder().errorClass("java.io.*").build())).containsExactly(eu);
        assertThat(ids(OperationQuery.builder().errorClass("java.lang").build())).as("without * the class is exact").isEmpty();
        assertThat(admin().count(OperationQuery.builder().errorClass("*Exception").build())).isEqualTo(3);
        assertThat(ids(OperationQuery.builder().statuses(OperationStatus.RUNNING).build())).containsExactly(running);
    }

    @Test
    void countsPerStatusAreExactUpToTheBoundAndCappedPastIt() {
        for (int i = 0; i < 3; i++) enqueueAt(START.plusSeconds(i), "billing", EnqueueOptions.defaults());
        OperationId eu = enqueueAt(START.plusSeconds(3), "billing_eu", EnqueueOptions.defaults());
        enqueueAt(START.plusSeconds(4), "shipping", EnqueueOptions.defaults());
        OperationId cancelled = enqueueAt(START.plusSeconds(5), "shipping", EnqueueOptions.defaults());
        admin().as("ann").cancel(cancelled);

        StatusCounts two = admin().countByStatus(OperationQuery.all(), 2);
        assertThat(two.bound()).isEqualTo(2);
        assertThat(two.count(OperationStatus.FAILED)).as("4 failed, counted up to 2").isEqualTo(2);
        assertThat(two.isCapped(OperationStatus.FAILED)).isTrue();
        assertThat(two.count(OperationStatus.RUNNING)).isEqualTo(1);
        assertThat(two.count(OperationStatus.CANCELLED)).isEqualTo(1);
        assertThat(two.count(OperationStatus.COMPLETED)).isZero();
        assertThat(two.capped()).containsExactly(OperationStatus.FAILED);
        assertThat(two.counts()).containsOnlyKeys(OperationStatus.values());
        assertThat(two.total(Set.of())).isEqualTo(4);
        assertThat(two.anyCapped(Set.of())).isTrue();
        assertThat(two.anyCapped(Set.of(OperationStatus.RUNNING, OperationStatus.CANCELLED))).isFalse();
        assertThat(two.total(Set.of(OperationStatus.RUNNING, OperationStatus.CANCELLED))).isEqualTo(2);

        StatusCounts four = admin().countByStatus(OperationQuery.all(), 4);
        assertThat(four.count(OperationStatus.FAILED)).as("exactly the bound is exact").isEqualTo(4);
        assertThat(four.capped()).isEmpty();
        assertThat(four.counts()).isEqualTo(admin().countByStatus(OperationQuery.all()));

        OperationQuery billingRunning = OperationQuery.builder().definition("billing").statuses(OperationStatus.RUNNING).build();
        StatusCounts billing = admin().countByStatus(billingRunning, 2);
        assertThat(billing.count(OperationStatus.FAILED)).as("the filters apply, the status filter does not").isEqualTo(2);
        assertThat(billing.isCapped(OperationStatus.FAILED)).isTrue();
        assertThat(admin().countByStatus(OperationQuery.builder().definition("billing").build(), 3).capped()).isEmpty();
        StatusCounts io = admin().countByStatus(OperationQuery.builder().errorClass("java.io.*").build(), 1);
        assertThat(io.count(OperationStatus.FAILED)).isEqualTo(1);
        assertThat(io.capped()).as("one java.io failure: not capped at 1").isEmpty();
        assertThat(admin().countByStatus(OperationQuery.builder().ids(Set.of(eu, cancelled)).build(), 1).capped()).isEmpty();

        assertThat(admin().countByStatus(OperationQuery.all()).get(OperationStatus.FAILED)).as("the unbounded count stays exact").isEqualTo(4);
        assertThat(admin().countEligible(BulkAction.RETRY, OperationQuery.all())).isEqualTo(5);
        assertThatThrownBy(() -> admin().countByStatus(OperationQuery.all(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void failureGroupsCanBeBoundedToTheNewestFailedOperations() {
        enqueueAt(START, "billing", EnqueueOptions.defaults());
        enqueueAt(START.plusSeconds(1), "billing", EnqueueOptions.defaults());
        enqueueAt(START.plusSeconds(2), "billing_eu", EnqueueOptions.defaults());
        OperationId shipping = enqueueAt(START.plusSeconds(3), "shipping", EnqueueOptions.defaults());
        admin().as("ann").fail(shipping, "customer gone");
        enqueueAt(START.plusSeconds(4), "shipping", EnqueueOptions.defaults());

        FailureGroup billing2 = new FailureGroup("billing", "charge-card", Optional.of("java.lang.IllegalStateException"), 2);
        FailureGroup billing1 = new FailureGroup("billing", "charge-card", Optional.of("java.lang.IllegalStateException"), 1);
        FailureGroup eu = new FailureGroup("billing_eu", "charge-card", Optional.of("java.io.UncheckedIOException"), 1);
        FailureGroup failedByHand = new FailureGroup("shipping", "pack", Optional.empty(), 1);
        assertThat(admin().failureGroups(OperationQuery.all(), 4)).as("all the failures fit: exact")
                .containsExactly(billing2, eu, failedByHand).isEqualTo(admin().failureGroups(OperationQuery.all()));
        assertThat(admin().failureGroups(OperationQuery.all(), 2)).as("the newest two by creation").containsExactly(eu, failedByHand);
        assertThat(admin().failureGroups(OperationQuery.all(), 3)).containsExactly(billing1, eu, failedByHand);
        assertThat(admin().failureGroups(OperationQuery.builder().definition("billing*").build(), 1)).as("the filters apply")
                .containsExactly(eu);
        assertThat(admin().failureGroups(OperationQuery.builder().errorClass("java.lang.*").build(), 1)).containsExactly(billing1);
        assertThat(admin().failureGroups(OperationQuery.builder().statuses(OperationStatus.RUNNING).build(), 5)).isEmpty();
        assertThatThrownBy(() -> admin().failureGroups(OperationQuery.all(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }

    @Test
    void lastErrorsAreReadForThePageAndTheirMessagesDecryptedOnlyWhenAsked() throws Exception {
        OperationId failed = enqueueAt(START, "billing", EnqueueOptions.defaults());
        OperationId running = enqueueAt(START.plusSeconds(1), "shipping", EnqueueOptions.defaults());

        Map<OperationId, LastError> withMessages = admin().lastErrors(List.of(failed, running), true);
        assertThat(withMessages).containsOnlyKeys(failed);
        LastError error = withMessages.get(failed);
        assertThat(error.errorClass()).isEqualTo("java.lang.IllegalStateException");
        assertThat(error.step()).isEqualTo("charge-card");
        assertThat(error.attempt()).isEqualTo(1);
        assertThat(error.message()).contains("payment provider unavailable\nsecond line");
        assertThat(admin().lastErrors(List.of(failed), false).get(failed).message()).isEmpty();
        assertThat(admin().lastErrors(List.of(), true)).isEmpty();

        try (Connection c = db.dataSource().getConnection(); ResultSet rs = c.createStatement()
                .executeQuery("SELECT message FROM durable_attempt_errors")) {
            assertThat(rs.next()).isTrue();
            assertThat(new String(rs.getBytes(1), StandardCharsets.ISO_8859_1)).as("stored encrypted").doesNotContain("payment provider");
        }
    }

    @Test
    void textFiltersTakeStarAsAWildcardAndEscapeLikesOwnCharacters() {
        OperationId billing = enqueueAt(START, "billing", EnqueueOptions.idempotencyKey("50%_off!"));
        OperationId eu = enqueueAt(START.plusSeconds(1), "billing_eu", EnqueueOptions.idempotencyKey("50x-off"));
        OperationId shipping = enqueueAt(START.plusSeconds(2), "shipping", EnqueueOptions.idempotencyKey("order-7"));

        assertThat(ids(OperationQuery.builder().definition("bill*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().definition("billing*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().definition("billing_*").build())).as("_ is a plain character").containsExactly(eu);
        assertThat(ids(OperationQuery.builder().definition("billing%").build())).as("% is a plain character").isEmpty();
        assertThat(ids(OperationQuery.builder().definition("*ping").build())).containsExactly(shipping);
        assertThat(ids(OperationQuery.builder().currentStep("charge*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().idempotencyKey("50%*").build())).containsExactly(billing);
        assertThat(ids(OperationQuery.builder().idempotencyKey("50%_off!").build())).containsExactly(billing);
        assertThat(ids(OperationQuery.builder().idempotencyKey("*off!").build())).containsExactly(billing);
        assertThat(ids(OperationQuery.builder().idempotencyKey("order-*").build())).containsExactly(shipping);
        assertThat(ids(OperationQuery.builder().idPrefix(billing.toString().substring(0, 13).toUpperCase()).build())).contains(billing);
        assertThatThrownBy(() -> OperationQuery.builder().idPrefix("xyz")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("hex digits");
    }

    @Test
    void everySortOrderPagesThroughAllOperationsOnceAndInItsOrder() {
        List<OperationId> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) created.add(enqueueAt(START.plusSeconds(i), "shipping", EnqueueOptions.defaults()));
        // updated in another order than created: the 5th, then the 2nd, are cancelled later
        clock.set(START.plusSeconds(100));
        admin().as("ann").cancel(created.get(4));
        clock.set(START.plusSeconds(101));
        admin().as("ann").cancel(created.get(1));

        List<OperationId> newestFirst = new ArrayList<>(created);
        java.util.Collections.reverse(newestFirst);
        assertThat(allPages(OperationSort.CREATED_DESC)).containsExactlyElementsOf(newestFirst);
        assertThat(allPages(OperationSort.CREATED_ASC)).containsExactlyElementsOf(created);
        List<OperationId> byUpdate = List.of(created.get(0), created.get(2), created.get(3), created.get(5), created.get(6),
                created.get(4), created.get(1));
        assertThat(allPages(OperationSort.UPDATED_ASC)).containsExactlyElementsOf(byUpdate);
        List<OperationId> byUpdateDesc = new ArrayList<>(byUpdate);
        java.util.Collections.reverse(byUpdateDesc);
        assertThat(allPages(OperationSort.UPDATED_DESC)).containsExactlyElementsOf(byUpdateDesc);

        String cursor = admin().list(OperationQuery.builder().limit(2).sort(OperationSort.CREATED_ASC).build()).nextCursor().orElseThrow();
        assertThatThrownBy(() -> OperationQuery.builder().cursor(cursor).build()).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("sorted by CREATED_ASC");
    }

    private List<OperationId> allPages(OperationSort sort) {
        List<OperationId> seen = new ArrayList<>();
        OperationQuery q = OperationQuery.builder().limit(2).sort(sort).build();
        while (true) {
            OperationPage page = admin().list(q);
            page.items().forEach(s -> seen.add(s.id()));
            if (page.nextCursor().isEmpty()) return seen;
            q = q.withCursor(page.nextCursor().get());
        }
    }

    @Test
    void bulkCancelFailAndSignalActOnTheRunningOnesAndRecordEach() {
        OperationId failed = enqueueAt(START, "billing", EnqueueOptions.defaults());
        List<OperationId> running = new ArrayList<>();
        for (int i = 1; i <= 6; i++) running.add(enqueueAt(START.plusSeconds(i), "shipping", EnqueueOptions.defaults()));
        OperationQuery all = OperationQuery.all();
        assertThat(admin().countEligible(BulkAction.CANCEL, all)).isEqualTo(6);

        OperationQuery firstTwo = OperationQuery.builder().ids(Set.of(running.get(0), running.get(1), failed)).build();
        assertThat(admin().as("ann").signalAll(firstTwo, "nudge", "{\"n\": 1}")).isEqualTo(new BulkResult(BulkAction.SIGNAL, 2, 0));
        assertThat(ops.scheduler().pendingSignals(running.get(0))).containsExactly("nudge");
        assertThat(ops.scheduler().pendingSignals(running.get(2))).isEmpty();
        assertThatThrownBy(() -> admin().as("ann").signalAll(all, "nudge", "{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThat(ops.scheduler().pendingSignals(running.get(2))).as("nothing sent for a bad payload").isEmpty();

        assertThat(admin().as("ann").cancelAll(firstTwo)).isEqualTo(new BulkResult(BulkAction.CANCEL, 2, 0));
        assertThat(ops.scheduler().get(running.get(0)).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(ops.scheduler().get(running.get(2)).status()).isEqualTo(OperationStatus.RUNNING);

        assertThatThrownBy(() -> admin().as("bob").failAll(all, "x".repeat(2001))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most 2000");
        assertThat(ops.scheduler().get(running.get(2)).status()).as("nothing failed for a bad reason").isEqualTo(OperationStatus.RUNNING);
        assertThat(admin().as("bob").failAll(all, "carrier gone")).isEqualTo(new BulkResult(BulkAction.FAIL, 4, 0));
        for (OperationId id : running.subList(2, 6)) {
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
            assertThat(ops.scheduler().get(id).failureReason()).contains("carrier gone");
            assertThat(admin().audit(id)).extracting(AuditEntry::actor, AuditEntry::action)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bob", "fail"));
        }
        assertThat(admin().audit(running.get(0))).extracting(AuditEntry::action).containsExactly("signal", "cancel");
        assertThat(admin().audit(running.get(0)).get(1).detail()).hasValueSatisfying(d -> assertThat(d).contains("one of 3 selected"));
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(admin().audit(failed)).isEmpty();
    }

    @Test
    void aSelectionIsAtMostOnePageOfOperations() {
        List<OperationId> many = new ArrayList<>();
        for (int i = 0; i <= OperationQuery.MAX_LIMIT; i++) many.add(OperationId.of(java.util.UUID.randomUUID()));
        assertThatThrownBy(() -> OperationQuery.builder().ids(many)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("at most 500");
    }
}
