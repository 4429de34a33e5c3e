package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.AuditPage;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.test.AdminTestBase;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin service ({@link OperationAdmin}) against a real database, without threads: filters, keyset paging, counts,
 * bulk actions, retry from a step and the audit trail. Every database runs it through a small subclass.
 */
abstract class AdminContractTest extends AdminTestBase {
    @Override
    protected List<OperationDefinition> definitions() {
        return List.of(
                define("billing", f -> f
                        .searchAttributes("customer")
                        .action("prepare", record(journal, "prepare"))
                        .action("charge-card", charge("payment provider unavailable"), StepOptions.retry(RetryPolicy.none()))
                        .action("send-receipt", record(journal, "send-receipt"))
                        .result("done")),
                define("shipping", f -> f
                        .action("pack", record(journal, "pack"), StepOptions.delay(Duration.ofHours(1)))
                        .result("shipped")));
    }

    /** Runs what is due now (delayed steps stay scheduled). */
    void runDue() {
        dispatcher.runDue();
    }

    OperationId enqueueAt(Instant at, String definition, EnqueueOptions options) {
        clock.set(at);
        return ops.scheduler().enqueue(definition, Map.of("customer", "c-" + at.getEpochSecond()), options);
    }

    OperationId failedBilling(Instant at) {
        OperationId id = enqueueAt(at, "billing", EnqueueOptions.defaults());
        runDue();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        return id;
    }

    @Test
    void filtersByStatusDefinitionStepIdKeyAndCreationTime() {
        OperationId failed1 = failedBilling(START);
        OperationId failed2 = failedBilling(START.plusSeconds(10));
        providerDown.set(false);
        OperationId completed = enqueueAt(START.plusSeconds(20), "billing", EnqueueOptions.idempotencyKey("order-7"));
        runDue();
        OperationId delayed = enqueueAt(START.plusSeconds(30), "shipping", EnqueueOptions.defaults());
        runDue();

        assertThat(ids(OperationQuery.all())).containsExactly(delayed, completed, failed2, failed1);
        assertThat(ids(OperationQuery.builder().statuses(OperationStatus.FAILED).build())).containsExactly(failed2, failed1);
        assertThat(ids(OperationQuery.builder().statuses(OperationStatus.FAILED, OperationStatus.RUNNING).build()))
                .containsExactly(delayed, failed2, failed1);
        assertThat(ids(OperationQuery.builder().definition("shipping").build())).containsExactly(delayed);
        assertThat(ids(OperationQuery.builder().definition("billing").currentStep("charge-card").build())).containsExactly(failed2, failed1);
        assertThat(ids(OperationQuery.builder().currentStep("pack").statuses(OperationStatus.RUNNING).build())).containsExactly(delayed);
        assertThat(ids(OperationQuery.builder().id(completed).build())).containsExactly(completed);
        assertThat(ids(OperationQuery.builder().idempotencyKey("order-7").build())).containsExactly(completed);
        assertThat(ids(OperationQuery.builder().idempotencyKey("order-8").build())).isEmpty();
        // [from, before): the bounds are exact instants, whatever the session time zone (the test sessions are not UTC)
        assertThat(ids(OperationQuery.builder().createdFrom(START.plusSeconds(10)).createdBefore(START.plusSeconds(30)).build()))
                .containsExactly(completed, failed2);
        assertThat(ids(OperationQuery.builder().createdBefore(START.plusSeconds(10)).build())).containsExactly(failed1);

        OperationSummary row = admin().list(OperationQuery.builder().id(failed1).build()).items().get(0);
        assertThat(row.definition()).isEqualTo("billing");
        assertThat(row.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(row.currentStep()).isEqualTo("charge-card");
        assertThat(row.currentAttemptStatus()).contains(AttemptStatus.FAILED);
        assertThat(row.attemptCount()).isEqualTo(1);
        assertThat(row.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("charge-card"));
        assertThat(row.createdAt()).isEqualTo(START);
        OperationSummary pending = admin().list(OperationQuery.builder().id(delayed).build()).items().get(0);
        assertThat(pending.currentAttemptStatus()).contains(AttemptStatus.SCHEDULED);
        assertThat(pending.scheduledAt()).contains(START.plusSeconds(30).plus(Duration.ofHours(1)));
        assertThat(admin().list(OperationQuery.builder().id(completed).build()).items().get(0).idempotencyKey()).contains("order-7");
    }

    @Test
    void filtersByADeclaredSearchAttribute() {
        OperationId first = failedBilling(START);
        failedBilling(START.plusSeconds(10));
        OperationId shipping = enqueueAt(START, "shipping", EnqueueOptions.defaults());
        String customer = "c-" + START.getEpochSecond();
        assertThat(ids(OperationQuery.builder().searchAttribute("customer", customer).build())).containsExactly(first);
        assertThat(ids(OperationQuery.builder().searchAttribute("customer", customer).definition("shipping").build()))
                .as("shipping declares no search attribute").isEmpty();
        assertThat(ids(OperationQuery.builder().searchAttribute("customer", "nobody").build())).isEmpty();
        assertThat(admin().count(OperationQuery.builder().searchAttribute("customer", customer).build())).isEqualTo(1);
        assertThat(shipping).isNotNull();
        assertThatThrownBy(() -> OperationQuery.builder().searchAttribute("customer", " ")).isInstanceOf(InvalidQueryException.class);
    }

    @Test
    void pagesAreNewestFirstAndNeitherRepeatNorSkipWhileOperationsAreAddedAndChanged() {
        providerDown.set(false);
        List<OperationId> created = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            // groups of three share a creation instant, so the id breaks ties
            created.add(enqueueAt(START.plusSeconds(i / 3), "shipping", EnqueueOptions.defaults()));
        }
        List<OperationSummary> all = admin().list(OperationQuery.builder().limit(100).build()).items();
        assertThat(all).hasSize(23);
        assertThat(all).isSortedAccordingTo(Comparator.comparing(OperationSummary::createdAt)
                .thenComparing(s -> s.id().toString()).reversed());

        List<OperationId> seen = new ArrayList<>();
        OperationQuery query = OperationQuery.builder().limit(5).build();
        OperationPage page = admin().list(query);
        int pages = 1;
        while (true) {
            page.items().forEach(s -> seen.add(s.id()));
            if (page.nextCursor().isEmpty()) break;
            // newer operations arrive and older ones change status between pages
            enqueueAt(START.plusSeconds(100 + pages), "shipping", EnqueueOptions.defaults());
            ops.scheduler().expire(page.items().get(page.items().size() - 1).id());
            page = admin().list(query.withCursor(page.nextCursor().get()));
            pages++;
        }
        assertThat(pages).isEqualTo(5);
        assertThat(seen).hasSize(23).doesNotHaveDuplicates();
        assertThat(seen).containsExactlyElementsOf(all.stream().map(OperationSummary::id).toList());
        assertThat(new HashSet<>(seen)).isEqualTo(new HashSet<>(created));

        OperationPage exact = admin().list(OperationQuery.builder().limit(27).build()); // 23 and the 4 added meanwhile
        assertThat(exact.items()).hasSize(27);
        assertThat(exact.nextCursor()).as("no cursor when nothing follows").isEmpty();
    }

    @Test
    void countsPerStatusIgnoreTheStatusFilterAndCountMatchesTheFilteredSet() {
        failedBilling(START);
        failedBilling(START.plusSeconds(1));
        failedBilling(START.plusSeconds(2));
        enqueueAt(START.plusSeconds(3), "shipping", EnqueueOptions.defaults());
        providerDown.set(false);
        enqueueAt(START.plusSeconds(4), "billing", EnqueueOptions.defaults());
        runDue();

        assertThat(admin().countByStatus(OperationQuery.all())).containsExactlyInAnyOrderEntriesOf(Map.of(
                OperationStatus.RUNNING, 1L, OperationStatus.COMPLETED, 1L, OperationStatus.FAILED, 3L,
                OperationStatus.EXPIRED, 0L, OperationStatus.CANCELLED, 0L, OperationStatus.PAUSED, 0L));
        OperationQuery failedBilling = OperationQuery.builder().statuses(OperationStatus.FAILED).definition("billing").build();
        assertThat(admin().countByStatus(failedBilling)).containsEntry(OperationStatus.FAILED, 3L)
                .containsEntry(OperationStatus.COMPLETED, 1L).containsEntry(OperationStatus.RUNNING, 0L);
        assertThat(admin().count(failedBilling)).isEqualTo(3);
        assertThat(admin().count(OperationQuery.all())).isEqualTo(5);
        assertThat(admin().count(OperationQuery.builder().createdFrom(START.plusSeconds(2)).build())).isEqualTo(3);
        assertThat(admin().countEligible(BulkAction.RETRY, OperationQuery.builder().definition("billing").build())).isEqualTo(3);
        assertThat(admin().countEligible(BulkAction.EXPIRE, OperationQuery.all())).isEqualTo(1);
        assertThat(admin().countEligible(BulkAction.EXPIRE, failedBilling)).as("no failed operation can be expired").isZero();
    }

    @Test
    void bulkRetryRetriesEveryFailedOperationOfTheFilterAndRecordsEachOne() {
        List<OperationId> failed = new ArrayList<>();
        for (int i = 0; i < 7; i++) failed.add(failedBilling(START.plusSeconds(i)));
        OperationId running = enqueueAt(START.plusSeconds(10), "shipping", EnqueueOptions.defaults());
        OperationQuery filter = OperationQuery.builder().definition("billing").currentStep("charge-card").limit(2).build();
        assertThat(admin().countEligible(BulkAction.RETRY, filter)).isEqualTo(7);

        providerDown.set(false);
        BulkResult result = admin().as("ann").retryAll(filter);
        assertThat(result).isEqualTo(new BulkResult(BulkAction.RETRY, 7, 0));
        runDue();
        for (OperationId id : failed) {
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(admin().audit(id)).singleElement().satisfies(entry -> {
                assertThat(entry.actor()).isEqualTo("ann");
                assertThat(entry.action()).isEqualTo("retry");
                assertThat(entry.detail()).hasValueSatisfying(d -> assertThat(d).contains("definition = billing", "step = charge-card"));
            });
        }
        assertThat(ops.scheduler().get(running).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(admin().audit(running)).isEmpty();
        assertThat(journal.count("prepare")).as("earlier steps are not run again").isEqualTo(7);
        assertThat(admin().as("ann").retryAll(filter)).as("nothing left to retry").isEqualTo(new BulkResult(BulkAction.RETRY, 0, 0));
    }

    @Test
    void bulkExpireExpiresTheRunningOnesWhoseStepThenNeverRuns() {
        OperationId failed = failedBilling(START);
        List<OperationId> delayed = new ArrayList<>();
        for (int i = 1; i <= 4; i++) delayed.add(enqueueAt(START.plusSeconds(i), "shipping", EnqueueOptions.defaults()));
        OperationQuery lateOnes = OperationQuery.builder().createdFrom(START.plusSeconds(2)).build();
        assertThat(admin().countEligible(BulkAction.EXPIRE, lateOnes)).isEqualTo(3);

        assertThat(admin().as("bob").expireAll(lateOnes)).isEqualTo(new BulkResult(BulkAction.EXPIRE, 3, 0));
        clock.advance(Duration.ofHours(2));
        runDue();
        assertThat(journal.count("pack")).as("only the one left running packed").isEqualTo(1);
        assertThat(ops.scheduler().get(delayed.get(0)).status()).isEqualTo(OperationStatus.COMPLETED);
        for (OperationId id : delayed.subList(1, 4)) {
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.EXPIRED);
            assertThat(admin().audit(id)).extracting(AuditEntry::actor, AuditEntry::action).containsExactly(org.assertj.core.groups.Tuple.tuple("bob", "expire"));
        }
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
    }

    @Test
    void retryFromAnEarlierStepRunsANewVisitOfItAndEverythingAfter() {
        OperationId id = failedBilling(START);
        assertThat(journal.entries()).containsExactly("prepare", "charge-card");
        providerDown.set(false);
        clock.advance(Duration.ofMinutes(5));

        admin().as("ann").retryFrom(id, "prepare");
        OperationView restarted = ops.scheduler().get(id);
        assertThat(restarted.status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(restarted.currentStep()).isEqualTo("prepare");
        assertThat(restarted.failureReason()).isEmpty();
        assertThat(restarted.finishedAt()).isEmpty();
        List<AttemptView> attempts = ops.scheduler().attempts(id);
        assertThat(attempts).extracting(AttemptView::step, AttemptView::visit, AttemptView::status).containsExactly(
                org.assertj.core.groups.Tuple.tuple("prepare", 1, AttemptStatus.SUCCEEDED),
                org.assertj.core.groups.Tuple.tuple("charge-card", 2, AttemptStatus.FAILED),
                org.assertj.core.groups.Tuple.tuple("prepare", 3, AttemptStatus.SCHEDULED));
        assertThat(attempts.get(2).scheduledAt()).isEqualTo(clock.instant());
        assertThat(attempts.get(2).args().get("customer", String.class)).as("the args that step last ran with").isEqualTo("c-" + START.getEpochSecond());

        runDue();
        assertThat(journal.entries()).containsExactly("prepare", "charge-card", "prepare", "charge-card", "send-receipt");
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(admin().audit(id)).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("retry-from");
            assertThat(entry.actor()).isEqualTo("ann");
            assertThat(entry.detail()).contains("step prepare");
            assertThat(entry.occurredAt()).isEqualTo(START.plus(Duration.ofMinutes(5)));
        });
    }

    @Test
    void retryFromALaterStepSkipsTheStepsBefore() {
        OperationId id = failedBilling(START);
        admin().retryFrom(id, "send-receipt");
        runDue();
        assertThat(journal.entries()).containsExactly("prepare", "charge-card", "send-receipt");
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(admin().audit(id)).as("the engine-level call records nothing").isEmpty();
    }

    @Test
    void retryFromRejectsAnUnknownStepARunningOperationAndAnUnknownId() {
        OperationId failed = failedBilling(START);
        assertThatThrownBy(() -> admin().retryFrom(failed, "refund"))
                .isInstanceOf(UnknownStepException.class)
                .hasMessage("definition 'billing' has no step 'refund'; known steps: prepare, charge-card, send-receipt, done");
        OperationId running = enqueueAt(START.plusSeconds(1), "shipping", EnqueueOptions.defaults());
        assertThatThrownBy(() -> admin().as("ann").retryFrom(running, "pack"))
                .isInstanceOf(IllegalOperationStateException.class).hasMessageContaining("is RUNNING");
        assertThatThrownBy(() -> admin().retryFrom(OperationId.random(), "pack")).isInstanceOf(OperationNotFoundException.class);
        assertThat(ops.scheduler().attempts(failed)).hasSize(2);
        assertThat(admin().audit(running)).as("a rejected action is not recorded").isEmpty();
        assertThat(admin().steps("billing")).containsExactly("prepare", "charge-card", "send-receipt", "done");
        assertThat(admin().steps("nope")).isEmpty();
        assertThat(admin().definitions()).containsExactly("billing", "shipping");
    }

    @Test
    void everyOperatorActionIsRecordedWithWhoWhatAndWhen() {
        OperationId id = enqueueAt(START, "shipping", EnqueueOptions.defaults());
        admin().as("ann").runNow(id);
        clock.advance(Duration.ofSeconds(1));
        admin().as("bob").fail(id, "customer asked to stop");
        clock.advance(Duration.ofSeconds(1));
        admin().as("ann").retry(id);
        admin().as("carol").cancel(id);
        admin().as("carol").retry(id);
        admin().as("dave").expire(id);

        List<AuditEntry> trail = admin().audit(id);
        assertThat(trail).extracting(AuditEntry::actor, AuditEntry::action).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ann", "run-now"),
                org.assertj.core.groups.Tuple.tuple("bob", "fail"),
                org.assertj.core.groups.Tuple.tuple("ann", "retry"),
                org.assertj.core.groups.Tuple.tuple("carol", "cancel"),
                org.assertj.core.groups.Tuple.tuple("carol", "retry"),
                org.assertj.core.groups.Tuple.tuple("dave", "expire"));
        assertThat(trail.get(1).detail()).contains("customer asked to stop");
        assertThat(trail.get(0).occurredAt()).isEqualTo(START);
        assertThat(trail.get(2).occurredAt()).isEqualTo(START.plusSeconds(2));
        assertThat(trail).allSatisfy(e -> assertThat(e.operationId()).isEqualTo(id));
        assertThat(admin().recentAudit(2)).extracting(AuditEntry::action).containsExactly("expire", "retry");
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.EXPIRED);

        assertThatThrownBy(() -> admin().as("dave").expire(id)).isInstanceOf(IllegalOperationStateException.class);
        assertThat(admin().audit(id)).hasSize(6);
        assertThatThrownBy(() -> admin().as(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void malformedQueriesAreRejectedWithAMessage() {
        assertThatThrownBy(() -> OperationQuery.builder().limit(0)).isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit must be between 1 and 500, was 0");
        assertThatThrownBy(() -> OperationQuery.builder().cursor("not-a-cursor")).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("not a paging cursor");
        assertThatThrownBy(() -> OperationQuery.builder().createdFrom(START).createdBefore(START).build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("range is empty");
        assertThatThrownBy(() -> OperationQuery.builder().definition("x".repeat(201))).isInstanceOf(InvalidQueryException.class);
        assertThat(OperationQuery.builder().definition("  ").currentStep(null).build()).isEqualTo(OperationQuery.all());
        assertThat(OperationQuery.builder().statuses(OperationStatus.FAILED).definition("billing").build())
                .hasToString("status in [FAILED], definition = billing");
    }

    // ---- access events and the paged audit trail -------------------------------------------------------------------

    @Test
    void accessEventsAreRecordedWithTheirClientAddressAndTheTrailIsPagedAndFiltered() {
        OperationId id = enqueueAt(START, "shipping", EnqueueOptions.defaults());
        admin().recordAccess(null, "ann", "sign-in", null, "192.0.2.10");
        clock.advance(Duration.ofSeconds(1));
        admin().as("ann").runNow(id);
        admin().recordAccess(null, "mallory", "sign-in-failed", "wrong password", "198.51.100.7");
        clock.advance(Duration.ofSeconds(1));
        admin().recordAccess(id, "bob", "denied", "expire: read-only", "192.0.2.11");
        admin().recordAccess(null, "x".repeat(300), "sign-in-failed", "d".repeat(3000), "a".repeat(150));

        AuditPage all = admin().auditPage(AuditQuery.all());
        assertThat(all.entries()).extracting(AuditEntry::action)
                .containsExactly("sign-in-failed", "denied", "sign-in-failed", "run-now", "sign-in");
        assertThat(all.nextBefore()).isEmpty();
        AuditEntry clipped = all.entries().get(0);
        assertThat(clipped.actor()).hasSize(200);
        assertThat(clipped.detail()).hasValueSatisfying(d -> assertThat(d).hasSize(2000));
        assertThat(clipped.clientAddress()).hasValueSatisfying(a -> assertThat(a).hasSize(100));
        AuditEntry denied = all.entries().get(1);
        assertThat(denied.operationId()).isEqualTo(id);
        assertThat(denied.clientAddress()).contains("192.0.2.11");
        assertThat(denied.occurredAt()).isEqualTo(START.plusSeconds(2));
        assertThat(all.entries().get(3).clientAddress()).as("operator actions carry no address").isEmpty();

        AuditPage first = admin().auditPage(AuditQuery.builder().limit(2).build());
        assertThat(first.entries()).hasSize(2);
        AuditPage second = admin().auditPage(AuditQuery.builder().limit(2).before(first.nextBefore().orElseThrow()).build());
        AuditPage third = admin().auditPage(AuditQuery.builder().limit(2).before(second.nextBefore().orElseThrow()).build());
        assertThat(third.nextBefore()).isEmpty();
        List<AuditEntry> paged = new ArrayList<>(first.entries());
        paged.addAll(second.entries());
        paged.addAll(third.entries());
        assertThat(paged).isEqualTo(all.entries());

        assertThat(admin().auditPage(AuditQuery.builder().actor("ann").build()).entries()).extracting(AuditEntry::action)
                .containsExactly("run-now", "sign-in");
        assertThat(admin().auditPage(AuditQuery.builder().action("sign-in-failed").build()).entries()).hasSize(2);
        assertThat(admin().auditPage(AuditQuery.builder().operationId(id).build()).entries()).extracting(AuditEntry::action)
                .containsExactly("denied", "run-now");
        assertThat(admin().auditPage(AuditQuery.builder().clientAddress("198.51.100.7").build()).entries())
                .singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("mallory"));
        assertThat(admin().auditPage(AuditQuery.builder().occurredFrom(START.plusSeconds(1)).occurredBefore(START.plusSeconds(2)).build())
                .entries()).extracting(AuditEntry::action).containsExactly("sign-in-failed", "run-now");
        assertThat(admin().auditPage(AuditQuery.builder().actor("nobody").build()).entries()).isEmpty();
        assertThat(admin().audit(id)).as("the operation's own trail names the refusal too").extracting(AuditEntry::action)
                .containsExactly("run-now", "denied");
    }

    @Test
    void malformedAccessEventsAndAuditQueriesAreRejectedWithAMessage() {
        assertThatThrownBy(() -> admin().recordAccess(null, " ", "sign-in", null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs an actor");
        assertThatThrownBy(() -> admin().recordAccess(null, "ann", "x".repeat(41), null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 40 characters");
        assertThatThrownBy(() -> AuditQuery.builder().limit(1001)).isInstanceOf(InvalidQueryException.class)
                .hasMessage("limit must be between 1 and 1000, was 1001");
        assertThatThrownBy(() -> AuditQuery.builder().before(0)).isInstanceOf(InvalidQueryException.class);
        assertThatThrownBy(() -> AuditQuery.builder().actor("x".repeat(201))).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining("at most 200 characters");
        assertThatThrownBy(() -> AuditQuery.builder().occurredFrom(START).occurredBefore(START).build())
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("range is empty");
        assertThat(AuditQuery.builder().actor(" ").action(null).build()).isEqualTo(AuditQuery.all());
        assertThat(admin().auditPage(AuditQuery.all()).entries()).isEmpty();
    }
}
