package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.BulkResult;
import io.durableops.core.admin.FailureGroup;
import io.durableops.core.admin.LastError;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSort;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.admin.StatusCounts;
import io.durableops.core.test.AdminTestBase;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The list's query options and the bulk actions on a real database, without threads: last errors, failure groups,
 * the error-class and wildcard filters, the search by error message within its scan bound, sort orders with keyset
 * paging, selections, bulk cancel, fail and signal, and bulk runs: each run's id is audited on every operation it changed, {@link OperationQuery.Builder#bulkRun} lists exactly
 * those in whatever status they are in now, and a {@link BulkListener} hears the eligible total and the counts.
 */
abstract class AdminListsContractTest extends AdminTestBase {
    @Override
    protected List<OperationDefinition> definitions() {
        return List.of(
                define("billing", f -> f
                        .action("charge-card", charge("payment provider unavailable\nsecond line"), StepOptions.retry(RetryPolicy.none()))
                        .result("done")),
                define("billing_eu", f -> f.action("charge-card", ctx -> {
                    throw new java.io.UncheckedIOException(new java.io.IOException("eu gateway down"));
                }, StepOptions.retry(RetryPolicy.none())).result("done")),
                define("shipping", f -> f
                        .action("pack", record(journal, "pack"), StepOptions.delay(Duration.ofHours(1)))
                        .result("shipped")),
                define("flaky", f -> f.action("call", ctx -> {
                    throw new IllegalStateException(ctx.get("message", String.class));
                }, StepOptions.retry(RetryPolicy.none())).result("done")));
    }

    /** While set, each decryption moves the clock on by this much: a message search's time passes as it reads. */
    private final java.util.concurrent.atomic.AtomicReference<Duration> decryptTakes = new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    protected DurableOps.Builder configure(DurableOps.Builder builder) {
        Encryptor keys = AesGcmEncryptor.of("k1", KEY);
        return builder.encryptor(new Encryptor() {
            @Override
            public byte[] encrypt(byte[] plaintext) {
                return keys.encrypt(plaintext);
            }

            @Override
            public byte[] decrypt(byte[] ciphertext) {
                Duration takes = decryptTakes.get();
                if (takes != null) clock.advance(takes);
                return keys.decrypt(ciphertext);
            }
        });
    }

    OperationId enqueueAt(Instant at, String definition, EnqueueOptions options) {
        clock.set(at);
        OperationId id = ops.scheduler().enqueue(definition, Map.of(), options);
        dispatcher.runDue();
        return id;
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

    OperationId flaky(Instant at, String message) {
        clock.set(at);
        OperationId id = ops.scheduler().enqueue("flaky", Map.of("message", message));
        dispatcher.runDue();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        return id;
    }

    OperationQuery.Builder searching(String text) {
        return OperationQuery.builder().errorMessage(text);
    }

    @Test
    void aMessageSearchFindsTheTextInTheDecryptedLastErrorIgnoringCaseWithStarAsAnyText() throws Exception {
        OperationId reset = flaky(START, "Connection RESET by peer db-7");
        OperationId slow = flaky(START.plusSeconds(1), "timeout talking to db-7\nretry later");
        OperationId late = flaky(START.plusSeconds(2), "Timeout after 30 s");
        enqueueAt(START.plusSeconds(3), "shipping", EnqueueOptions.defaults()); // running, no error: not a candidate
        OperationId billing = enqueueAt(START.plusSeconds(4), "billing", EnqueueOptions.defaults());

        OperationPage page = admin().list(searching("timeout").build());
        assertThat(page.items()).extracting(OperationSummary::id).containsExactly(late, slow);
        assertThat(page.nextCursor()).isEmpty();
        assertThat(page.messageScan()).contains(new io.durableops.core.admin.MessageScan(4, false, Optional.of(START)));
        assertThat(ids(searching("TIMEOUT").build())).as("case is ignored").containsExactly(late, slow);
        assertThat(ids(searching("tImEoUt AFTER").build())).containsExactly(late);
        assertThat(ids(searching("db-7").build())).containsExactly(slow, reset);
        assertThat(ids(searching("timeout*db").build())).as("* is any text, in order").containsExactly(slow);
        assertThat(ids(searching("db*timeout").build())).isEmpty();
        assertThat(ids(searching("to*db*later").build())).as("* spans lines").containsExactly(slow);
        assertThat(ids(searching("second line").build())).as("the whole message, not its first line").containsExactly(billing);
        assertThat(ids(searching("%").build())).as("no SQL pattern character means anything").isEmpty();
        OperationPage none = admin().list(searching("nothing like this").build());
        assertThat(none.items()).isEmpty();
        assertThat(none.messageScan()).hasValueSatisfying(s -> assertThat(s.scanned()).isEqualTo(4));
        assertThat(admin().list(OperationQuery.all()).messageScan()).as("only a message search reports a scan").isEmpty();

        assertThat(ids(searching("db-7").definition("flaky").createdFrom(START.plusSeconds(1)).build())).containsExactly(slow);
        assertThat(ids(searching("provider").errorClass("java.lang.IllegalStateException").build())).containsExactly(billing);
        assertThat(ids(searching("timeout").sort(OperationSort.CREATED_ASC).build())).containsExactly(slow, late);
        OperationPage running = admin().list(searching("timeout").statuses(OperationStatus.RUNNING).build());
        assertThat(running.items()).isEmpty();
        assertThat(running.messageScan()).contains(new io.durableops.core.admin.MessageScan(0, false, Optional.empty()));

        try (Connection c = db.dataSource().getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
                "UPDATE durable_attempt_errors SET message = ? WHERE operation_id = ?")) {
            ps.setBytes(1, "k1:tampered-bytes-that-do-not-authenticate".getBytes(StandardCharsets.UTF_8));
            ps.setString(2, late.toString());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        assertThat(ids(searching("timeout").build())).as("a message that cannot be decrypted matches nothing").containsExactly(slow);
        assertThat(ids(searching("cannot decrypt").build())).as("nor does the reason it cannot be read").isEmpty();
    }

    @Test
    void aMessageSearchStopsAtItsScanBoundAndItsCursorContinuesTheScanNotJustTheMatches() {
        List<OperationId> flaky = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            flaky.add(flaky(START.plusSeconds(2L * i), i == 0 || i == 5 ? "upstream said: Quota exceeded" : "upstream said: no"));
            enqueueAt(START.plusSeconds(2L * i + 1), "shipping", EnqueueOptions.defaults()); // between them, never read
        }
        List<List<OperationId>> pages = new ArrayList<>();
        List<io.durableops.core.admin.MessageScan> scans = new ArrayList<>();
        OperationQuery q = searching("quota").messageScan(2).limit(10).build();
        while (true) {
            OperationPage page = admin().list(q);
            pages.add(page.items().stream().map(OperationSummary::id).toList());
            scans.add(page.messageScan().orElseThrow());
            if (page.nextCursor().isEmpty()) break;
            q = q.withCursor(page.nextCursor().get());
        }
        assertThat(pages).containsExactly(List.of(flaky.get(5)), List.of(), List.of(), List.of(flaky.get(0)));
        assertThat(scans).extracting(io.durableops.core.admin.MessageScan::scanned).containsExactly(2, 2, 2, 1);
        assertThat(scans).extracting(io.durableops.core.admin.MessageScan::boundReached).containsExactly(true, true, true, false);
        assertThat(scans).extracting(s -> s.scannedTo().orElseThrow())
                .containsExactly(START.plusSeconds(10), START.plusSeconds(6), START.plusSeconds(2), START);

        OperationPage full = admin().list(searching("quota").limit(1).build());
        assertThat(full.items()).extracting(OperationSummary::id).containsExactly(flaky.get(5));
        assertThat(full.messageScan()).contains(new io.durableops.core.admin.MessageScan(2, false, Optional.of(START.plusSeconds(10))));
        OperationPage rest = admin().list(searching("quota").limit(1).build().withCursor(full.nextCursor().orElseThrow()));
        assertThat(rest.items()).extracting(OperationSummary::id).containsExactly(flaky.get(0));
        assertThat(rest.messageScan()).hasValueSatisfying(s -> assertThat(s.scanned()).isEqualTo(5));
        assertThat(rest.nextCursor()).as("the last candidate was read").isEmpty();
        assertThat(ids(searching("quota").sort(OperationSort.UPDATED_ASC).messageScan(3).build())).containsExactly(flaky.get(0));
    }

    @Test
    void aMessageSearchStopsAtItsTimeLimitBetweenReadsAndItsCursorContinuesTheScan() {
        List<OperationId> flaky = new ArrayList<>();
        for (int i = 0; i < 40; i++) flaky.add(flaky(START.plusSeconds(i), i == 3 ? "Quota exceeded" : "upstream said: no"));
        OperationQuery q = searching("quota").limit(10).build();

        // 4 ms a message: the first read (20 candidates, twice the page) spends 80 of the 100 ms, so the next reads the
        // 5 the rest affords, and the page stops there, though its scan bound (2,000) is far
        assertThat(io.durableops.core.admin.MessageScan.TIME_LIMIT).isEqualTo(Duration.ofMillis(100));
        decryptTakes.set(Duration.ofMillis(4));
        OperationPage first = admin().list(q);
        assertThat(first.items()).isEmpty();
        assertThat(first.messageScan()).contains(new io.durableops.core.admin.MessageScan(25, false, Optional.of(START.plusSeconds(15)), true));
        assertThat(first.messageScan().orElseThrow().stoppedEarly()).isTrue();
        OperationPage rest = admin().list(q.withCursor(first.nextCursor().orElseThrow()));
        assertThat(rest.items()).extracting(OperationSummary::id).containsExactly(flaky.get(3));
        assertThat(rest.messageScan()).contains(new io.durableops.core.admin.MessageScan(15, false, Optional.of(START), false));
        assertThat(rest.nextCursor()).isEmpty();

        // a single read over the limit still makes progress: each page reads its first batch, then stops
        decryptTakes.set(Duration.ofSeconds(1));
        OperationPage slow = admin().list(q);
        assertThat(slow.messageScan()).hasValueSatisfying(s -> assertThat(s).extracting(io.durableops.core.admin.MessageScan::scanned,
                io.durableops.core.admin.MessageScan::timeLimitReached).containsExactly(20, true));

        decryptTakes.set(null);
        assertThat(admin().list(q).messageScan()).as("a still clock never runs out")
                .contains(new io.durableops.core.admin.MessageScan(40, false, Optional.of(START)));
    }

    @Test
    void aMessageSearchIsListedOnlyNeverCountedGroupedOrActedOnInBulk() {
        OperationId failed = flaky(START, "Quota exceeded");
        OperationId running = enqueueAt(START.plusSeconds(1), "shipping", EnqueueOptions.defaults());
        OperationQuery search = searching("quota").build();
        List<org.assertj.core.api.ThrowableAssert.ThrowingCallable> refused = List.of(
                () -> admin().count(search), () -> admin().countByStatus(search), () -> admin().countEligible(BulkAction.RETRY, search),
                () -> admin().failureGroups(search), () -> admin().countByStatus(search, 10), () -> admin().failureGroups(search, 10),
                () -> admin().as("ann").retryAll(search), () -> admin().as("ann").cancelAll(search),
                () -> admin().as("ann").expireAll(search), () -> admin().as("ann").failAll(search, "quota"),
                () -> admin().as("ann").signalAll(searching("*").build(), "nudge", null));
        for (var call : refused) {
            assertThatThrownBy(call).isInstanceOf(InvalidQueryException.class).hasMessageContaining("a search by error message cannot be")
                    .hasMessageContaining("select rows").hasMessageNotContaining("quota");
        }
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(running).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(ops.scheduler().pendingSignals(running)).isEmpty();
        assertThat(admin().audit(failed)).isEmpty();
        assertThat(admin().as("ann").retryAll(OperationQuery.builder().ids(List.of(failed)).build()).changed())
                .as("the selection of a found row is acted on").isEqualTo(1);

        assertThat(search.toString()).isEqualTo("error message contains a text").doesNotContain("quota");
        assertThat(search.isFiltered()).isTrue();
        assertThat(OperationQuery.builder().messageScan(10).build().isFiltered()).as("a scan bound is not a filter").isFalse();
        assertThat(search.toBuilder().build()).isEqualTo(search);
        assertThat(searching("  ").build().errorMessage()).isEmpty();
        assertThat(OperationQuery.all().messageScan()).isEqualTo(io.durableops.core.admin.MessageScan.DEFAULT_BOUND);
        assertThatThrownBy(() -> searching("x".repeat(201))).isInstanceOf(InvalidQueryException.class)
                .hasMessage("an error message filter is at most 200 characters, was 201");
        for (int bad : new int[] {0, io.durableops.core.admin.MessageScan.MAX_BOUND + 1}) {
            assertThatThrownBy(() -> OperationQuery.builder().messageScan(bad)).isInstanceOf(InvalidQueryException.class)
                    .hasMessageContaining("a message scan reads 1 to 5000 operations");
        }
    }

    @Test
    void textFiltersTakeStarAsAWildcardAndEscapeLikesOwnCharacters() {
        OperationId billing = enqueueAt(START, "billing", EnqueueOptions.idempotencyKey("50%_off!"));
        OperationId eu = enqueueAt(START.plusSeconds(1), "billing_eu", EnqueueOptions.idempotencyKey("50x-off"));
        OperationId shipping = enqueueAt(START.plusSeconds(2), "shipping", EnqueueOptions.idempotencyKey("order-7"));
        // the fixed start itself, the text just past it ('%' + 1 is '&') and another case: a range on the fixed start
        // (H2's) must keep the first and leave out the others, as the LIKE does
        OperationId atStart = enqueueAt(START.plusSeconds(3), "shipping", EnqueueOptions.idempotencyKey("50%"));
        enqueueAt(START.plusSeconds(4), "shipping", EnqueueOptions.idempotencyKey("50&"));
        enqueueAt(START.plusSeconds(5), "shipping", EnqueueOptions.idempotencyKey("Order-8"));

        assertThat(ids(OperationQuery.builder().definition("bill*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().definition("billing*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().definition("billing_*").build())).as("_ is a plain character").containsExactly(eu);
        assertThat(ids(OperationQuery.builder().definition("billing%").build())).as("% is a plain character").isEmpty();
        assertThat(ids(OperationQuery.builder().definition("*ping").idempotencyKey("order-*").build())).containsExactly(shipping);
        assertThat(ids(OperationQuery.builder().currentStep("charge*").build())).containsExactly(eu, billing);
        assertThat(ids(OperationQuery.builder().idempotencyKey("50%*").build())).containsExactly(atStart, billing);
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

    // ---- bulk runs: the run id in the audit trail, the bulkRun filter, the listener -------------------------------

    List<OperationId> failedBilling(int n) {
        List<OperationId> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(1));
            ids.add(ops.scheduler().enqueue("billing", Map.of("n", i)));
        }
        dispatcher.runDue();
        return ids;
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
