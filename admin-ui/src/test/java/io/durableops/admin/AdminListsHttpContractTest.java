package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.OperationQuery;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operations list over real HTTP on a real database: last errors in the rows, failure groups, the error-class,
 * wildcard and sort filters, row selection, and bulk cancel, fail and signal with their confirmation and recount.
 * Each database runs it through a small subclass.
 */
abstract class AdminListsHttpContractTest extends AdminFixture {
    @Test
    void aFailedRowShowsItsLastErrorFoldedAndTheMessageOnlyToUsersWhoSeeData() {
        OperationId failed = failedBilling(Map.of());
        OperationId noisy = ops.scheduler().enqueue("noisy", Map.of());
        dispatcher.runDue();
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/").body();
            assertThat(page).contains("<details class=\"row-error\">", "IllegalStateException", "payment provider unavailable (HTTP 503)")
                    .contains("java.lang.IllegalStateException");
            assertThat(page).as("the first line of a 100 KB message is clipped").contains("E".repeat(150)).doesNotContain("E".repeat(300));
            JsonNode item = itemOf(json(web.get(B + "/api/operations?definition=billing")), failed);
            assertThat(item.get("lastError").get("errorClass").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(item.get("lastError").get("message").asText()).isEqualTo("payment provider unavailable (HTTP 503)");
            assertThat(item.get("lastError").get("step").asText()).isEqualTo("charge-card");
        });
        serve(web -> {
            signedIn(web, "bob");
            String page = web.get(B + "/").body();
            assertThat(page).contains("IllegalStateException").doesNotContain("payment provider unavailable");
            JsonNode item = itemOf(json(web.get(B + "/api/operations")), noisy);
            assertThat(item.get("lastError").get("errorClass").asText()).isEqualTo("java.lang.IllegalStateException");
            assertThat(item.get("lastError").get("message").isNull()).isTrue();
        });
    }

    private static JsonNode itemOf(JsonNode page, OperationId id) {
        for (JsonNode item : page.get("items")) if (item.get("id").asText().equals(id.toString())) return item;
        throw new AssertionError("no " + id + " in " + page);
    }

    @Test
    void failuresAreGroupedWithCountsForTheFiltersAndEachGroupLinksToItsOperations() {
        OperationId first = failedBilling(Map.of("n", 1));
        OperationId second = failedBilling(Map.of("n", 2));
        ops.scheduler().enqueue("noisy", Map.of());
        dispatcher.runDue();
        OperationId running = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/").body();
            assertThat(page).contains("id=\"failures\"");
            String panel = page.substring(page.indexOf("id=\"failures\""), page.indexOf("</section>", page.indexOf("id=\"failures\"")));
            assertThat(panel).contains("billing", "charge-card", "noisy", "explode", "java.lang.IllegalStateException", "<b>2</b>", "<b>1</b>");
            assertThat(panel.indexOf("charge-card")).as("largest group first").isLessThan(panel.indexOf("explode"));

            JsonNode groups = json(web.get(B + "/api/operations/failures")).get("groups");
            assertThat(groups).hasSize(2);
            assertThat(groups.get(0).get("definition").asText()).isEqualTo("billing");
            assertThat(groups.get(0).get("count").asLong()).isEqualTo(2);
            String filter = groups.get(0).get("filter").asText();
            assertThat(filter).contains("status=FAILED", "definition=billing", "step=charge-card", "error=java.lang.IllegalStateException");
            assertThat(json(web.get(B + "/api/operations/failures?definition=noisy")).get("groups")).hasSize(1);
            assertThat(web.get(B + "/?status=RUNNING").body()).as("no failures panel when failed ones are filtered out")
                    .doesNotContain("id=\"failures\"");

            JsonNode items = json(web.get(B + "/api/operations?" + filter)).get("items");
            assertThat(items).extracting(i -> i.get("id").asText()).containsExactlyInAnyOrder(first.toString(), second.toString());
            assertThat(page).contains(B + "/?" + filter.replace("&", "&amp;"));
            HttpResponse<String> confirm = web.get(B + "/bulk/retry?" + filter);
            assertThat(confirm.body()).contains("<b>2</b> operation(s) will be retried");
            providerDown.set(false);
            HttpResponse<String> done = web.post(B + "/bulk/retry", fields(confirm.body(), "2", filter));
            assertThat(runEnded(web, done)).contains("Retried 2 operation(s).");
        });
        dispatcher.runDue();
        assertThat(ops.scheduler().get(first).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ops.scheduler().get(second).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ops.scheduler().get(running).status()).isEqualTo(OperationStatus.RUNNING);
    }

    @Test
    void countsPastTheListBoundShowAsCappedAndTheFailuresPanelSaysItGroupsTheNewest() {
        for (int i = 0; i < 3; i++) failedBilling(Map.of("n", i));
        delayedShipping();
        serve(AdminUi.builder(ops).users(USERS).clock(clock).listBound(2), web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/").body();
            assertThat(chip(page, "count-failed")).contains("title=\"more than 2 match", "<b>2+</b>");
            assertThat(chip(page, "count-running")).contains("<b>1</b>").doesNotContain("title=");
            assertThat(chip(page, "count-all")).contains("<b>3+</b>");
            assertThat(page).contains("id=\"failures-bounded\"", "Among the newest 2 failures", "Retry all…", "Retry all 2+…");

            JsonNode counts = json(web.get(B + "/api/operations/counts"));
            assertThat(counts.get("byStatus").get("FAILED").asLong()).isEqualTo(2);
            assertThat(counts.get("byStatus").get("RUNNING").asLong()).isEqualTo(1);
            assertThat(counts.get("capped")).extracting(JsonNode::asText).containsExactly("FAILED");
            assertThat(counts.get("bound").asInt()).isEqualTo(2);
            assertThat(counts.get("matching").asLong()).isEqualTo(3);
            assertThat(counts.get("matchingCapped").asBoolean()).isTrue();
            JsonNode running = json(web.get(B + "/api/operations/counts?status=RUNNING"));
            assertThat(running.get("matching").asLong()).isEqualTo(1);
            assertThat(running.get("matchingCapped").asBoolean()).isFalse();
            JsonNode exact = json(web.get(B + "/api/operations/counts?exact=true"));
            assertThat(exact.get("byStatus").get("FAILED").asLong()).isEqualTo(3);
            assertThat(exact.get("matching").asLong()).isEqualTo(4);
            assertThat(web.get(B + "/api/operations/counts?exact=maybe").statusCode()).isEqualTo(400);

            JsonNode failures = json(web.get(B + "/api/operations/failures"));
            assertThat(failures.get("bounded").asBoolean()).isTrue();
            assertThat(failures.get("bound").asInt()).isEqualTo(2);
            assertThat(failures.get("groups").get(0).get("count").asLong()).as("the newest 2 of 3").isEqualTo(2);
            assertThat(web.get(B + "/bulk/retry?status=FAILED").body()).as("the confirmation counts exactly")
                    .contains("<b>3</b> operation(s) will be retried");
        });
        serve(AdminUi.builder(ops).users(USERS).clock(clock).failuresBound(2), web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/").body();
            assertThat(chip(page, "count-failed")).as("counted exactly below the list bound").contains("<b>3</b>").doesNotContain("title=");
            assertThat(page).as("but grouped over the newest 2").contains("Among the newest 2 failures", "Retry all 3…");
            assertThat(json(web.get(B + "/api/operations/failures")).get("bounded").asBoolean()).isTrue();
        });
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/").body();
            assertThat(chip(page, "count-failed")).contains("<b>3</b>").doesNotContain("title=");
            assertThat(page).doesNotContain("failures-bounded").contains("Retry 3…");
            assertThat(json(web.get(B + "/api/operations/failures")).get("bounded").asBoolean()).isFalse();
            assertThat(json(web.get(B + "/api/operations/counts")).get("capped")).isEmpty();
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.javalin.Javalin.create(config -> AdminUi.builder(ops).users(USERS)
                .listBound(0).mount(config, B))).isInstanceOf(io.durableops.core.ConfigurationException.class)
                .hasMessageContaining("listBound must be 1 to 1,000,000, was 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.javalin.Javalin.create(config -> AdminUi.builder(ops).users(USERS)
                .failuresBound(-1).mount(config, B))).hasMessageContaining("failuresBound must be 1 to 1,000,000, was -1");
    }

    /** The status chip (or the "All" chip) with this id. */
    private static String chip(String page, String id) {
        int start = page.lastIndexOf("<a ", page.indexOf("id=\"" + id + "\""));
        return page.substring(start, page.indexOf("</a>", start));
    }

    /** The confirmation form's fields: its token, the expected count and the filter's parameters. */
    private static List<String> fields(String confirmPage, String expected, String queryString, String... more) {
        List<String> fields = new ArrayList<>(List.of("_csrf", WebClient.csrfOf(confirmPage), "expected", expected));
        for (String pair : queryString.split("&")) {
            String[] kv = pair.split("=", 2);
            fields.add(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8));
            fields.add(java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        fields.addAll(List.of(more));
        return fields;
    }

    @Test
    void aMessageSearchIsOfferedToUsersWhoSeeDataListedOnlyAndRefusedToOthers() {
        OperationId billing = failedBilling(Map.of());
        clock.advance(java.time.Duration.ofSeconds(1));
        OperationId noisy = ops.scheduler().enqueue("noisy", Map.of());
        dispatcher.runDue();
        serve(web -> {
            signedIn(web, "ann");
            assertThat(web.get(B + "/").body()).contains("id=\"f-message\"");
            HttpResponse<String> found = web.get(B + "/?message=PROVIDER*503");
            assertThat(found.statusCode()).isEqualTo(200);
            assertThat(found.body()).contains(billing.toString(), "id=\"f-message\" dir=\"auto\" placeholder=\"timeout\" value=\"PROVIDER*503\"")
                    .doesNotContain(noisy.toString());
            assertThat(found.body()).contains("id=\"message-scan\"", "Searched the last error of 2 operation(s)", "1 match on this page",
                    "Nothing more to search.", "id=\"count-failed\"", "name=\"ids\" value=\"" + billing + "\"")
                    .as("not counted, not grouped, no bulk action on the whole filter")
                    .doesNotContain("id=\"failures\"", "id=\"bulk-retry\"", "data-refresh=");

            JsonNode api = json(web.get(B + "/api/operations?message=provider"));
            assertThat(api.get("items")).extracting(i -> i.get("id").asText()).containsExactly(billing.toString());
            assertThat(api.get("items").get(0).get("lastError").get("message").asText()).contains("payment provider unavailable");
            assertThat(api.get("messageScan").get("scanned").asInt()).isEqualTo(2);
            assertThat(api.get("messageScan").get("boundReached").asBoolean()).isFalse();
            assertThat(api.get("messageScan").get("timeLimitReached").asBoolean()).isFalse();
            assertThat(json(web.get(B + "/api/operations")).get("messageScan").isNull()).isTrue();
            for (String refused : List.of("/api/operations/counts?message=provider", "/api/operations/failures?message=provider",
                    "/api/bulk/retry?message=provider", "/bulk/retry?message=provider")) {
                HttpResponse<String> r = web.get(B + refused);
                assertThat(r.statusCode()).as(refused).isEqualTo(400);
                assertThat(r.body()).as(refused).contains("a search by error message cannot be").contains("select rows");
            }
            String token = csrf(web);
            HttpResponse<String> bulk = web.post(B + "/api/bulk/retry?message=provider", List.of(), "X-CSRF-Token", token);
            assertThat(bulk.statusCode()).isEqualTo(400);
        });
        assertThat(ops.scheduler().get(billing).status()).as("nothing retried").isEqualTo(OperationStatus.FAILED);
        serve(web -> {
            signedIn(web, "bob");
            assertThat(web.get(B + "/").body()).as("no field for a user who does not see data").doesNotContain("id=\"f-message\"");
            HttpResponse<String> page = web.get(B + "/?message=provider");
            assertThat(page.statusCode()).isEqualTo(403);
            assertThat(page.body()).contains("does not see operation data, so cannot search error messages").doesNotContain(billing.toString());
            HttpResponse<String> api = web.get(B + "/api/operations?message=provider");
            assertThat(api.statusCode()).isEqualTo(403);
            assertThat(json(api).get("error").asText()).contains("filter by the error class instead");
        });
        assertThat(ops.admin().auditPage(io.durableops.core.admin.AuditQuery.builder().action("denied").build()).entries())
                .hasSize(2).allSatisfy(e -> {
                    assertThat(e.actor()).isEqualTo("bob");
                    assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).contains("a search by error message").doesNotContain("provider"));
                });
    }

    @Test
    void aMessageSearchThatReachesItsBoundSaysHowFarItSearchedAndContinuesTheScan() {
        OperationId billing = failedBilling(Map.of());
        for (int i = 0; i < 2; i++) {
            clock.advance(java.time.Duration.ofSeconds(1));
            ops.scheduler().enqueue("noisy", Map.of());
            dispatcher.runDue();
        }
        serve(web -> {
            signedIn(web, "ann");
            String first = web.get(B + "/?message=provider&scan=2").body();
            assertThat(first).contains("Searched the last error of 2 operation(s)", "0 matches on this page",
                    "The search stopped at its bound of 2 operations a page.", "id=\"continue-search\"", "value=\"2\"")
                    .doesNotContain(billing.toString(), "id=\"next-page\"");
            String href = first.substring(0, first.indexOf("\" id=\"continue-search\""));
            href = href.substring(href.lastIndexOf("href=\"") + 6).replace("&amp;", "&");
            assertThat(href).startsWith(B + "/?message=provider&scan=2&cursor=");
            String next = web.get(href).body();
            assertThat(next).contains(billing.toString(), "Searched the last error of 1 operation(s)", "1 match on this page",
                    "Nothing more to search.").doesNotContain("id=\"continue-search\"");

            JsonNode page = json(web.get(B + "/api/operations?message=provider&scan=2"));
            assertThat(page.get("items")).isEmpty();
            assertThat(page.get("messageScan").get("boundReached").asBoolean()).isTrue();
            assertThat(page.get("messageScan").get("scannedTo").asText()).isNotEmpty();
            JsonNode rest = json(web.get(B + "/api/operations?message=provider&scan=2&cursor=" + page.get("nextCursor").asText()));
            assertThat(rest.get("items")).extracting(i -> i.get("id").asText()).containsExactly(billing.toString());
            assertThat(rest.get("nextCursor").isNull()).isTrue();

            Map<String, String> bad = Map.of("message=x&scan=0", "a message scan reads 1 to 5000 operations, was 0",
                    "message=x&scan=lots", "scan: 'lots' is not a number (1 to 5000)",
                    "message=" + "m".repeat(201), "an error message filter is at most 200 characters");
            bad.forEach((params, message) -> {
                HttpResponse<String> r = web.get(B + "/api/operations?" + params);
                assertThat(r.statusCode()).as(params).isEqualTo(400);
                assertThat(json(r).get("error").asText()).as(params).contains(message);
            });
        });
    }

    @Test
    void errorClassWildcardAndSortFiltersWorkAndStayInTheUrl() {
        OperationId billing = failedBilling(Map.of());
        clock.advance(java.time.Duration.ofSeconds(1));
        OperationId noisy = ops.scheduler().enqueue("noisy", Map.of());
        dispatcher.runDue();
        clock.advance(java.time.Duration.ofSeconds(1));
        OperationId shipping = ops.scheduler().enqueue("shipping", Map.of(), io.durableops.core.EnqueueOptions.idempotencyKey("parcel_7%"));
        serve(web -> {
            signedIn(web, "bob");
            assertThat(ids(web, "error=java.lang.*")).containsExactly(noisy.toString(), billing.toString());
            assertThat(ids(web, "error=java.io.*")).isEmpty();
            assertThat(ids(web, "definition=bill*")).containsExactly(billing.toString());
            assertThat(ids(web, "definition=*i*")).containsExactly(shipping.toString(), noisy.toString(), billing.toString());
            assertThat(ids(web, "q=parcel_7%25")).containsExactly(shipping.toString());
            assertThat(ids(web, "q=parcel_*")).containsExactly(shipping.toString());
            assertThat(ids(web, "q=parcel%25*")).as("_ is a plain character").isEmpty();
            assertThat(ids(web, "q=" + noisy.toString().substring(0, 8) + "*")).contains(noisy.toString());
            assertThat(ids(web, "sort=created-asc")).containsExactly(billing.toString(), noisy.toString(), shipping.toString());
            assertThat(ids(web, "sort=updated-desc")).first().isEqualTo(shipping.toString());

            JsonNode first = json(web.get(B + "/api/operations?sort=created-asc&limit=2"));
            JsonNode next = json(web.get(B + "/api/operations?sort=created-asc&limit=2&cursor=" + first.get("nextCursor").asText()));
            assertThat(next.get("items")).extracting(i -> i.get("id").asText()).containsExactly(shipping.toString());

            String page = web.get(B + "/?sort=created-asc&limit=2&definition=*i*&from=2000-01-01T00:00").body();
            assertThat(page).contains("<option value=\"created-asc\" selected>").contains("value=\"*i*\"")
                    .contains("Created from (UTC)").contains("type=\"datetime-local\"").contains("value=\"2000-01-01T00:00\"");
            assertThat(page).as("the next page keeps every filter")
                    .contains("definition=*i*&amp;from=2000-01-01T00%3A00%3A00Z&amp;sort=created-asc&amp;limit=2&amp;cursor=");
            assertThat(web.get(B + "/?error=java.*").body()).contains("id=\"f-error\" placeholder=\"java.io.*\" value=\"java.*\"");
        });
    }

    private static List<String> ids(WebClient web, String params) {
        HttpResponse<String> r = web.get(B + "/api/operations?" + params);
        assertThat(r.statusCode()).as(params + ": " + r.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        json(r).get("items").forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    @Test
    void badSortDateReasonOrSelectionGetsA400ThatSaysWhatIsAccepted() {
        OperationId delayed = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            Map<String, String> cases = Map.of(
                    "sort=sideways", "sort: 'sideways' is not a sort order; use one of created-desc, created-asc, updated-desc, updated-asc",
                    "from=2026-02-30T10:00", "from: '2026-02-30T10:00' is not a time",
                    "error=" + "x".repeat(201), "an error class filter is at most 200 characters",
                    "ids=nope", "ids: 'nope' is not an operation id",
                    "id=zz*", "is not an operation id (a UUID) or an id prefix");
            cases.forEach((params, message) -> {
                HttpResponse<String> api = web.get(B + "/api/operations?" + params);
                assertThat(api.statusCode()).as(params).isEqualTo(400);
                assertThat(json(api).get("error").asText()).as(params).contains(message);
                HttpResponse<String> page = web.get(B + "/?" + params);
                assertThat(page.statusCode()).as(params).isEqualTo(400);
                assertThat(page.body()).as(params).contains(message.replace("'", "&#39;"));
            });
            HttpResponse<String> none = web.get(B + "/bulk/cancel?selection=1");
            assertThat(none.statusCode()).isEqualTo(400);
            assertThat(none.body()).contains("no operation is selected");
            String token = WebClient.csrfOf(web.get(B + "/bulk/fail?definition=shipping").body());
            HttpResponse<String> longReason = web.post(B + "/bulk/fail", List.of("_csrf", token, "expected", "1", "definition", "shipping",
                    "reason", "r".repeat(2001)));
            assertThat(longReason.statusCode()).isEqualTo(400);
            assertThat(longReason.body()).contains("a fail reason is at most 2,000 characters; this one has 2,001");
            HttpResponse<String> apiLong = web.postJson(B + "/api/bulk/fail?definition=shipping", "{\"reason\": \"" + "r".repeat(2001) + "\"}",
                    "X-CSRF-Token", csrf(web));
            assertThat(apiLong.statusCode()).isEqualTo(400);
            HttpResponse<String> badJson = web.postJson(B + "/api/bulk/signal?definition=shipping", "{\"name\": \"go\", \"payload\": 5}",
                    "X-CSRF-Token", csrf(web));
            assertThat(badJson.statusCode()).as(badJson.body()).isEqualTo(200);
            assertThat(web.post(B + "/bulk/signal", List.of("_csrf", token, "expected", "1", "definition", "shipping")).statusCode())
                    .as("a signal needs a name").isEqualTo(400);
        });
        assertThat(ops.scheduler().get(delayed).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(ops.scheduler().pendingSignals(delayed)).containsExactly("go");
    }

    @Test
    void bulkCancelFailAndSignalConfirmRecountAndActOnTheFilteredSet() {
        List<OperationId> parcels = new ArrayList<>();
        for (int i = 0; i < 3; i++) parcels.add(delayedShipping());
        List<OperationId> approvals = new ArrayList<>();
        for (int i = 0; i < 2; i++) approvals.add(ops.scheduler().enqueue("approval", Map.of()));
        dispatcher.runDue();
        OperationId failed = failedBilling(Map.of());
        serve(web -> {
            signedIn(web, "ann");
            String list = web.get(B + "/").body();
            assertThat(list).contains("id=\"bulk-cancel\"", "Cancel all 5…", "Fail all 5…", "Signal all 5…", "Retry all 1…");

            HttpResponse<String> confirm = web.get(B + "/bulk/signal?definition=approval");
            assertThat(confirm.body()).contains("<b>2</b> operation(s) will be signalled", "id=\"bulk-signal-name\"", "id=\"bulk-signal-payload\"");
            HttpResponse<String> stale = web.post(B + "/bulk/signal", fields(confirm.body(), "3", "definition=approval", "name", "approved",
                    "payload", "{\"by\":\"ann\"}"));
            assertThat(stale.statusCode()).isEqualTo(409);
            assertThat(stale.body()).contains("it now has 2 operation(s) to signal").contains("value=\"approved\"");
            HttpResponse<String> signalled = web.post(B + "/bulk/signal", fields(confirm.body(), "2", "definition=approval", "name", "approved",
                    "payload", "{\"by\":\"ann\"}"));
            assertThat(runEnded(web, signalled)).contains("Signalled 2 operation(s).");

            HttpResponse<String> failConfirm = web.get(B + "/bulk/fail?definition=shipping");
            assertThat(failConfirm.body()).contains("<b>3</b> operation(s) will be failed", "id=\"bulk-reason\"");
            HttpResponse<String> failedAll = web.post(B + "/bulk/fail", fields(failConfirm.body(), "3", "definition=shipping", "reason", "carrier gone"));
            assertThat(runEnded(web, failedAll)).contains("Failed 3 operation(s).");

            assertThat(web.get(B + "/bulk/cancel?definition=shipping").body()).contains("No operation of this filter can be cancelled");
            JsonNode count = json(web.get(B + "/api/bulk/cancel?definition=billing"));
            assertThat(count.get("count").asLong()).isZero();
        });
        dispatcher.runDue();
        for (OperationId id : approvals) {
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action()).containsExactly("ann signal");
        }
        for (OperationId id : parcels) {
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
            assertThat(ops.scheduler().get(id).failureReason()).contains("carrier gone");
            assertThat(ops.admin().audit(id)).singleElement().satisfies(e -> assertThat(e.detail()).hasValueSatisfying(d ->
                    assertThat(d).contains("bulk fail (carrier gone) of definition = shipping")));
        }
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
    }

    @Test
    void selectedRowsAreActedOnAloneAndTheListThenShowsThem() {
        List<OperationId> parcels = new ArrayList<>();
        for (int i = 0; i < 4; i++) parcels.add(delayedShipping());
        serve(web -> {
            signedIn(web, "ann");
            String list = web.get(B + "/").body();
            assertThat(list).contains("form method=\"get\" action=\"" + B + "/bulk/cancel\" id=\"selection\"")
                    .contains("name=\"ids\" value=\"" + parcels.get(0) + "\"").contains("id=\"selected-cancel\"");
            String picked = "selection=1&ids=" + parcels.get(0) + "&ids=" + parcels.get(2);
            HttpResponse<String> confirm = web.get(B + "/bulk/cancel?" + picked);
            assertThat(confirm.body()).contains("<b>2</b> operation(s) will be cancelled", "one of 2 selected");
            HttpResponse<String> done = web.post(B + "/bulk/cancel", fields(confirm.body(), "2", "ids=" + parcels.get(0) + "&ids=" + parcels.get(2)));
            String after = runEnded(web, done);
            assertThat(after).contains("Cancelled 2 operation(s).", "one of 2 selected");
            assertThat(json(web.get(B + "/api/operations?bulkRun=" + runIdOf(after))).get("items")).extracting(i -> i.get("id").asText())
                    .containsExactlyInAnyOrder(parcels.get(0).toString(), parcels.get(2).toString());
            HttpResponse<String> again = web.get(B + "/bulk/cancel?" + picked);
            assertThat(again.body()).contains("No operation of this selection can be cancelled");
        });
        assertThat(parcels).extracting(id -> ops.scheduler().get(id).status())
                .containsExactly(OperationStatus.CANCELLED, OperationStatus.RUNNING, OperationStatus.CANCELLED, OperationStatus.RUNNING);
        assertThat(ops.admin().count(OperationQuery.builder().statuses(OperationStatus.CANCELLED).build())).isEqualTo(2);
        assertThat(ops.admin().audit(parcels.get(0))).extracting(e -> e.actor() + " " + e.action()).containsExactly("ann cancel");
        assertThat(ops.admin().audit(parcels.get(1))).isEmpty();
    }
}
