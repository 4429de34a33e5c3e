package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.ConfigurationException;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every page and API endpoint over real HTTP (JavalinTest), mounted under {@code /ops} of an application, on a real
 * database, with a thread-free dispatcher. Each database runs it through a small subclass.
 */
abstract class AdminHttpContractTest extends AdminFixture {
    // ---- authentication ----------------------------------------------------------------------------------------

    @Test
    void anonymousRequestsGet401ButTheLoginPageAndTheHostApplicationIsLeftAlone() {
        OperationId id = failedBilling(Map.of());
        serve(web -> {
            for (String page : List.of("/", "/operations/" + id, "/audit", "/bulk/retry?status=FAILED")) {
                HttpResponse<String> r = web.get(B + page);
                assertThat(r.statusCode()).as(page).isEqualTo(401);
                assertThat(r.body()).as(page).contains("Sign in").contains("name=\"_csrf\"");
            }
            for (String api : List.of("/api/operations", "/api/operations/counts", "/api/operations/" + id, "/api/audit",
                    "/api/definitions", "/api/session", "/api/bulk/retry")) {
                HttpResponse<String> r = web.get(B + api);
                assertThat(r.statusCode()).as(api).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(api).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
                assertThat(json(r).get("error").asText()).contains("sign in");
            }
            assertThat(web.postJson(B + "/api/operations/" + id + "/retry", "{}").statusCode()).isEqualTo(401);
            assertThat(web.post(B + "/operations/" + id + "/retry", List.of()).statusCode()).isEqualTo(401);
            assertThat(web.post(B + "/bulk/retry", List.of("status", "FAILED")).statusCode()).isEqualTo(401);
            assertThat(web.get(B + "/login").statusCode()).isEqualTo(200);
            assertThat(web.get(B + "/assets/admin.css").statusCode()).isEqualTo(200);
            assertThat(web.get("/").body()).isEqualTo("the host application");
        });
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
    }

    @Test
    void signingInNeedsTheRightPasswordAndTheLoginFormsCsrfTokenAndSigningOutEndsTheSession() {
        serve(web -> {
            HttpResponse<String> wrong = web.login(B, "ann", "guess");
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("Wrong user name or password.");
            assertThat(web.login(B, "nobody", "guess").statusCode()).isEqualTo(401);

            HttpResponse<String> noToken = web.post(B + "/login", List.of("username", "ann", "password", "ann-secret"));
            assertThat(noToken.statusCode()).isEqualTo(403);

            String form = web.get(B + "/login?next=" + B + "/audit").body();
            HttpResponse<String> ok = web.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                    "password", "ann-secret", "next", B + "/audit"));
            assertThat(ok.statusCode()).isEqualTo(303);
            assertThat(ok.headers().firstValue("Location")).contains(B + "/audit");
            assertThat(ok.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c)
                    .contains("HttpOnly", "SameSite=Lax", "Path=" + B));
            HttpResponse<String> list = web.get(B + "/");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains("ann");

            assertThat(web.post(B + "/logout", List.of()).statusCode()).as("sign-out needs CSRF too").isEqualTo(403);
            HttpResponse<String> out = web.post(B + "/logout", List.of("_csrf", WebClient.csrfOf(list.body())));
            assertThat(out.statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/").statusCode()).isEqualTo(401);
        });
    }

    @Test
    void anOffSiteNextIsIgnoredAfterSignIn() {
        serve(web -> {
            String form = web.get(B + "/login").body();
            HttpResponse<String> r = web.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                    "password", "ann-secret", "next", "//evil.example/steal"));
            assertThat(r.headers().firstValue("Location")).contains(B + "/");
        });
    }

    @Test
    void httpBasicWorksForTheApiAndItsCallsStillNeedTheCsrfToken() {
        OperationId id = failedBilling(Map.of());
        providerDown.set(false);
        serve(web -> {
            web.basic("ann", "ann-secret");
            JsonNode session = json(web.get(B + "/api/session"));
            assertThat(session.get("user").asText()).isEqualTo("ann");
            assertThat(session.get("role").asText()).isEqualTo("OPERATOR");
            assertThat(web.postJson(B + "/api/operations/" + id + "/retry", "{}").statusCode()).isEqualTo(403);
            assertThat(web.postJson(B + "/api/operations/" + id + "/retry", "{}", "X-CSRF-Token", "forged").statusCode()).isEqualTo(403);
            HttpResponse<String> ok = web.postJson(B + "/api/operations/" + id + "/retry", "{}", "X-CSRF-Token", session.get("csrfToken").asText());
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            assertThat(json(ok).get("status").asText()).isEqualTo("RUNNING");
            assertThat(new WebClient(originOf(web)).basic("ann", "wrong").get(B + "/api/operations").statusCode()).isEqualTo(401);
        });
        dispatcher.runDue();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        assertThat(ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action())
                .as("the two refused calls are recorded too").containsExactly("ann denied", "ann denied", "ann retry");
    }

    private static String originOf(WebClient web) {
        try {
            java.lang.reflect.Field f = WebClient.class.getDeclaredField("origin");
            f.setAccessible(true);
            return (String) f.get(web);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ---- roles and CSRF ----------------------------------------------------------------------------------------

    @Test
    void anOperationQueuedBehindALimitSaysWhyOnItsPageAndInTheApi() {
        OperationId first = ops.scheduler().enqueue("statement", Map.of("account", "acc-1"));
        OperationId second = ops.scheduler().enqueue("statement", Map.of("account", "acc-1"));
        dispatcher.runDue();
        serve(web -> {
            signedIn(web, "bob");
            String why = "queued: 1 of 1 operations with the same account running";
            assertThat(web.get(B + "/operations/" + second).body()).contains("<dt>Waiting</dt><dd id=\"op-queued\"><bdi>" + why + "</bdi></dd>");
            assertThat(json(web.get(B + "/api/operations/" + second)).get("queuedReason").asText()).isEqualTo(why);
            assertThat(web.get(B + "/operations/" + first).body()).doesNotContain("op-queued");
            assertThat(web.get(B + "/?definition=statement").body()).contains(why);
            JsonNode rows = json(web.get(B + "/api/operations?definition=statement")).get("items");
            java.util.Map<String, String> reasons = new java.util.HashMap<>();
            for (JsonNode row : rows) reasons.put(row.get("id").asText(), row.get("queuedReason").isNull() ? null : row.get("queuedReason").asText());
            assertThat(reasons).containsEntry(second.toString(), why).containsEntry(first.toString(), null);
        });
    }

    @Test
    void aReadOnlyUserSeesEverythingButDataAndGets403ForEveryAction() {
        OperationId failed = failedBilling(Map.of("card", "4242"));
        OperationId delayed = delayedShipping();
        serve(web -> {
            signedIn(web, "bob");
            HttpResponse<String> page = web.get(B + "/operations/" + failed);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("payment provider unavailable (HTTP 503)")
                    .contains("Your role does not show decrypted data").doesNotContain("4242").doesNotContain("id=\"retry\"");
            assertThat(json(web.get(B + "/api/operations/" + failed)).has("globals")).isFalse();
            String token = WebClient.csrfOf(page.body());
            for (String action : List.of("retry", "retry-from", "run-now", "expire", "fail", "cancel", "signal")) {
                OperationId target = action.equals("retry") || action.equals("retry-from") ? failed : delayed;
                assertThat(web.post(B + "/operations/" + target + "/" + action, List.of("_csrf", token, "step", "prepare", "reason", "x"))
                        .statusCode()).as(action).isEqualTo(403);
                assertThat(web.postJson(B + "/api/operations/" + target + "/" + action, "{\"step\":\"prepare\",\"reason\":\"x\"}",
                        "X-CSRF-Token", csrf(web)).statusCode()).as("api " + action).isEqualTo(403);
            }
            HttpResponse<String> bulk = web.get(B + "/bulk/retry");
            assertThat(bulk.statusCode()).isEqualTo(403);
            assertThat(bulk.body()).contains("read-only");
            assertThat(web.post(B + "/bulk/expire", List.of("_csrf", token, "expected", "1")).statusCode()).isEqualTo(403);
            assertThat(web.postJson(B + "/api/bulk/retry", "", "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(403);
        });
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(delayed).status()).isEqualTo(OperationStatus.RUNNING);
        List<io.durableops.core.admin.AuditEntry> trail = ops.admin().auditPage(io.durableops.core.admin.AuditQuery.all()).entries();
        assertThat(trail).extracting(io.durableops.core.admin.AuditEntry::action).as("no operator action, only refusals")
                .containsOnly("sign-in", "denied");
        assertThat(trail).filteredOn(e -> e.action().equals("denied")).hasSize(17)
                .allSatisfy(e -> assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).endsWith("read-only user")))
                .allSatisfy(e -> assertThat(e.clientAddress()).contains("127.0.0.1"));
    }

    @Test
    void everyStateChangingRequestWithoutAValidCsrfTokenIs403() {
        OperationId failed = failedBilling(Map.of());
        OperationId delayed = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            for (String action : List.of("retry", "retry-from", "run-now", "expire", "fail", "cancel", "signal")) {
                OperationId target = action.startsWith("retry") ? failed : delayed;
                assertThat(web.post(B + "/operations/" + target + "/" + action, List.of("step", "prepare", "reason", "x")).statusCode())
                        .as(action).isEqualTo(403);
                assertThat(web.post(B + "/operations/" + target + "/" + action, List.of("_csrf", "forged", "step", "prepare", "reason", "x"))
                        .statusCode()).as(action).isEqualTo(403);
                assertThat(web.postJson(B + "/api/operations/" + target + "/" + action, "{\"step\":\"prepare\",\"reason\":\"x\"}")
                        .statusCode()).as("api " + action).isEqualTo(403);
            }
            assertThat(web.post(B + "/bulk/retry", List.of("expected", "1")).statusCode()).isEqualTo(403);
            assertThat(web.postJson(B + "/api/bulk/expire", "").statusCode()).isEqualTo(403);
            // a token of another session does not count
            WebClient other = signedIn(new WebClient(originOf(web)), "ann");
            String othersToken = csrf(other);
            assertThat(web.postJson(B + "/api/operations/" + delayed + "/expire", "{}", "X-CSRF-Token", othersToken).statusCode()).isEqualTo(403);
        });
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(delayed).status()).isEqualTo(OperationStatus.RUNNING);
    }

    // ---- list and filters --------------------------------------------------------------------------------------

    @Test
    void theListFiltersAndCountsAndPages() {
        OperationId failed = failedBilling(Map.of());
        clock.advance(Duration.ofSeconds(1));
        OperationId delayed = delayedShipping();
        clock.advance(Duration.ofSeconds(1));
        OperationId keyed = ops.scheduler().enqueue("shipping", Map.of(), EnqueueOptions.idempotencyKey("order-7"));
        serve(web -> {
            signedIn(web, "ann");
            String all = web.get(B + "/").body();
            assertThat(all).contains(failed.toString(), delayed.toString(), keyed.toString())
                    .contains("id=\"count-failed\"").containsPattern("failed <b>1</b>").containsPattern("running <b>2</b>")
                    .contains("Retry all 1").contains("Expire all 2");
            String failedOnly = web.get(B + "/?status=FAILED&definition=billing&step=charge-card").body();
            assertThat(failedOnly).contains(failed.toString()).doesNotContain(delayed.toString()).contains("failed after 1 attempt with java.lang.IllegalStateException");
            assertThat(web.get(B + "/?q=order-7").body()).contains(keyed.toString()).doesNotContain(delayed.toString());
            assertThat(web.get(B + "/?q=" + delayed).body()).contains(delayed.toString()).doesNotContain(keyed.toString());

            HttpResponse<String> first = web.get(B + "/?limit=2");
            assertThat(first.body()).contains(keyed.toString(), delayed.toString()).doesNotContain(failed.toString()).contains("id=\"next-page\"");
            String href = first.body().replaceAll("(?s).*<a href=\"([^\"]+)\" id=\"next-page\".*", "$1").replace("&amp;", "&");
            assertThat(web.get(href).body()).contains(failed.toString()).doesNotContain(keyed.toString()).contains("id=\"first-page\"");

            JsonNode page = json(web.get(B + "/api/operations?status=RUNNING&limit=1"));
            assertThat(page.get("items")).hasSize(1);
            assertThat(page.get("items").get(0).get("id").asText()).isEqualTo(keyed.toString());
            assertThat(page.get("items").get(0).get("idempotencyKey").asText()).isEqualTo("order-7");
            JsonNode second = json(web.get(B + "/api/operations?status=RUNNING&limit=1&cursor=" + page.get("nextCursor").asText()));
            assertThat(second.get("items").get(0).get("id").asText()).isEqualTo(delayed.toString());
            assertThat(second.get("nextCursor").isNull()).isTrue();

            JsonNode counts = json(web.get(B + "/api/operations/counts?definition=shipping&status=RUNNING"));
            assertThat(counts.get("byStatus").get("RUNNING").asLong()).isEqualTo(2);
            assertThat(counts.get("byStatus").get("FAILED").asLong()).isZero();
            assertThat(counts.get("matching").asLong()).isEqualTo(2);
            String from = clock.instant().minusSeconds(1).toString();
            assertThat(json(web.get(B + "/api/operations?from=" + from)).get("items")).hasSize(2);
        });
    }

    @Test
    void malformedFiltersAre400WithAMessage() {
        serve(web -> {
            signedIn(web, "ann");
            Map<String, String> cases = Map.of(
                    "status=BOGUS", "status: 'BOGUS' is not a status",
                    "from=yesterday", "from: 'yesterday' is not a time",
                    "to=2026-13-45", "to: '2026-13-45' is not a time",
                    "limit=abc", "limit: 'abc' is not a number",
                    "limit=100000", "limit must be between 1 and 500",
                    "cursor=xyz", "not a paging cursor",
                    "id=nope", "id: 'nope' is not an operation id",
                    "from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z", "the created-at range is empty",
                    "value=42", "needs a search attribute name",
                    "attribute=subscriptionId", "needs a value to filter on");
            cases.forEach((params, message) -> {
                HttpResponse<String> page = web.get(B + "/?" + params);
                assertThat(page.statusCode()).as(params).isEqualTo(400);
                assertThat(page.body()).as(params).contains(message.replace("'", "&#39;"));
                HttpResponse<String> api = web.get(B + "/api/operations?" + params);
                assertThat(api.statusCode()).as(params).isEqualTo(400);
                assertThat(json(api).get("error").asText()).as(params).contains(message);
                assertThat(web.get(B + "/api/operations/counts?" + params).statusCode()).as(params).isEqualTo(400);
                assertThat(web.get(B + "/bulk/retry?" + params).statusCode()).as(params).isEqualTo(400);
            });
            assertThat(web.get(B + "/api/audit?limit=many").statusCode()).isEqualTo(400);
        });
    }

    // ---- operation page and actions ----------------------------------------------------------------------------

    @Test
    void theOperationPageShowsStepsErrorsWithStackTracesDataAndTheAuditTrail() {
        OperationId id = failedBilling(Map.of("card", "4242"));
        ops.admin().as("carol").cancel(delayedShipping());
        serve(web -> {
            signedIn(web, "ann");
            HttpResponse<String> page = web.get(B + "/operations/" + id);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("prepare", "charge-card", "succeeded", "failed")
                    .contains("java.lang.IllegalStateException", "payment provider unavailable (HTTP 503)")
                    .contains("<details class=\"error\"").contains("at io.durableops")
                    .contains("&quot;card&quot; : &quot;4242&quot;")
                    .contains("id=\"retry\"").contains("<option value=\"charge-card\" selected>");
            JsonNode api = json(web.get(B + "/api/operations/" + id));
            assertThat(api.get("status").asText()).isEqualTo("FAILED");
            assertThat(api.get("globals").get("card").asText()).isEqualTo("4242");
            assertThat(api.get("attempts")).hasSize(2);
            assertThat(api.get("attempts").get(1).get("errors").get(0).get("stackTrace").asText()).contains("IllegalStateException");
            assertThat(api.get("steps")).extracting(JsonNode::asText).containsExactly("prepare", "charge-card", "done");

            String unknown = OperationId.random().toString();
            HttpResponse<String> missing = web.get(B + "/operations/" + unknown);
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("Not found").contains("no operation with id " + unknown);
            assertThat(web.get(B + "/operations/not-a-uuid").statusCode()).isEqualTo(404);
            assertThat(web.get(B + "/api/operations/" + unknown).statusCode()).isEqualTo(404);
            assertThat(web.postJson(B + "/api/operations/" + unknown + "/retry", "{}", "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(404);
            assertThat(web.post(B + "/operations/" + unknown + "/retry", List.of("_csrf", WebClient.csrfOf(page.body()))).statusCode()).isEqualTo(404);

            String audit = web.get(B + "/audit").body();
            assertThat(audit).contains("carol", "cancel");
            JsonNode trail = json(web.get(B + "/api/audit?limit=5&action=cancel"));
            assertThat(trail.get("entries").get(0).get("actor").asText()).isEqualTo("carol");
            JsonNode definitions = json(web.get(B + "/api/definitions"));
            List<String> names = new java.util.ArrayList<>();
            definitions.get("definitions").forEach(d -> names.add(d.get("name").asText()));
            assertThat(names).containsExactly("approval", "billing", "family", "noisy", "shipping", "stages", "statement");
        });
    }

    @Test
    void formActionsChangeTheOperationAndAreRecordedAsTheSignedInUser() {
        OperationId failed = failedBilling(Map.of());
        OperationId delayed1 = delayedShipping();
        OperationId delayed2 = delayedShipping();
        OperationId delayed3 = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            String token = WebClient.csrfOf(web.get(B + "/operations/" + failed).body());
            HttpResponse<String> retryFrom = web.post(B + "/operations/" + failed + "/retry-from", List.of("_csrf", token, "step", "prepare"));
            assertThat(retryFrom.statusCode()).isEqualTo(303);
            assertThat(retryFrom.headers().firstValue("Location")).contains(B + "/operations/" + failed);
            assertThat(web.get(B + "/operations/" + failed).body()).contains("Retried from step &#39;prepare&#39;.");
            assertThat(web.post(B + "/operations/" + delayed1 + "/run-now", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            assertThat(web.post(B + "/operations/" + delayed2 + "/fail", List.of("_csrf", token, "reason", "wrong address")).statusCode()).isEqualTo(303);
            assertThat(web.post(B + "/operations/" + delayed3 + "/cancel", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            // a rejected action comes back as a message, and is not recorded
            assertThat(web.post(B + "/operations/" + delayed3 + "/expire", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/operations/" + delayed3).body()).contains("class=\"flash error\"").contains("only a RUNNING or PAUSED operation");
            assertThat(web.post(B + "/operations/" + delayed2 + "/nonsense", List.of("_csrf", token)).statusCode()).isEqualTo(404);
            assertThat(web.post(B + "/operations/" + delayed2 + "/fail", List.of("_csrf", token)).statusCode()).isEqualTo(303);
        });
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(ops.scheduler().get(failed).currentStep()).isEqualTo("prepare");
        assertThat(ops.scheduler().get(delayed2).failureReason()).contains("wrong address");
        assertThat(ops.scheduler().get(delayed3).status()).isEqualTo(OperationStatus.CANCELLED);
        dispatcher.runDue();
        assertThat(journal.count("pack")).as("run now made the delayed step due").isEqualTo(1);
        assertThat(ops.admin().recentAudit(10)).extracting(e -> e.actor() + " " + e.action())
                .containsExactly("ann cancel", "ann fail", "ann run-now", "ann retry-from", "ann sign-in");
    }

    @Test
    void apiActionsDoWhatThePagesDoAndSayWhyWhenTheyCannot() {
        OperationId failed = failedBilling(Map.of());
        OperationId delayed = delayedShipping();
        OperationId another = delayedShipping();
        OperationId third = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            String token = csrf(web);
            HttpResponse<String> unknownStep = web.postJson(B + "/api/operations/" + failed + "/retry-from", "{\"step\":\"refund\"}", "X-CSRF-Token", token);
            assertThat(unknownStep.statusCode()).isEqualTo(400);
            assertThat(json(unknownStep).get("error").asText()).isEqualTo("definition 'billing' has no step 'refund'; known steps: prepare, charge-card, done");
            assertThat(web.postJson(B + "/api/operations/" + failed + "/retry-from", "{}", "X-CSRF-Token", token).statusCode()).isEqualTo(400);
            assertThat(web.postJson(B + "/api/operations/" + failed + "/retry-from", "{not json", "X-CSRF-Token", token).statusCode()).isEqualTo(400);
            HttpResponse<String> running = web.postJson(B + "/api/operations/" + delayed + "/retry", "{}", "X-CSRF-Token", token);
            assertThat(running.statusCode()).isEqualTo(409);
            assertThat(json(running).get("error").asText()).contains("is RUNNING");
            assertThat(web.postJson(B + "/api/operations/" + delayed + "/explode", "{}", "X-CSRF-Token", token).statusCode()).isEqualTo(404);

            HttpResponse<String> ok = web.postJson(B + "/api/operations/" + failed + "/retry-from", "{\"step\":\"charge-card\"}", "X-CSRF-Token", token);
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(json(ok).get("currentStep").asText()).isEqualTo("charge-card");
            assertThat(web.postJson(B + "/api/operations/" + delayed + "/run-now", "", "X-CSRF-Token", token).statusCode()).isEqualTo(200);
            assertThat(web.postJson(B + "/api/operations/" + another + "/fail", "{\"reason\":\"duplicate\"}", "X-CSRF-Token", token).statusCode()).isEqualTo(200);
            assertThat(web.postJson(B + "/api/operations/" + third + "/expire", "", "X-CSRF-Token", token).statusCode()).isEqualTo(200);
            assertThat(web.postJson(B + "/api/operations/" + third + "/cancel", "", "X-CSRF-Token", token).statusCode()).isEqualTo(409);
            assertThat(web.postJson(B + "/api/operations/" + another + "/retry", "", "X-CSRF-Token", token).statusCode()).isEqualTo(200);
            assertThat(web.postJson(B + "/api/operations/" + another + "/cancel", "", "X-CSRF-Token", token).statusCode()).isEqualTo(200);
        });
        assertThat(ops.scheduler().get(third).status()).isEqualTo(OperationStatus.EXPIRED);
        assertThat(ops.scheduler().get(another).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(ops.admin().audit(another)).extracting(e -> e.action()).containsExactly("fail", "retry", "cancel");
        assertThat(ops.admin().audit(failed)).extracting(e -> e.action() + " " + e.detail().orElse("")).containsExactly("retry-from step charge-card");
    }

    @Test
    void operatorsSendSignalsFromThePageAndTheApi() {
        OperationId fromPage = ops.scheduler().enqueue("approval", Map.of());
        OperationId fromApi = ops.scheduler().enqueue("approval", Map.of());
        dispatcher.runDue();
        serve(web -> {
            signedIn(web, "ann");
            String token = WebClient.csrfOf(web.get(B + "/operations/" + fromPage).body());
            assertThat(web.post(B + "/operations/" + fromPage + "/signal", List.of("_csrf", token, "name", "approved", "payload", "{not json"))
                    .statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/operations/" + fromPage).body()).contains("class=\"flash error\"").contains("is not JSON");
            assertThat(web.post(B + "/operations/" + fromPage + "/signal", List.of("_csrf", token, "name", "approved", "payload", "{\"by\": \"ann\"}"))
                    .statusCode()).isEqualTo(303);
            assertThat(web.postJson(B + "/api/operations/" + fromApi + "/signal", "{\"name\":\"approved\",\"payload\":{\"by\":\"api\"}}",
                    "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(200);
        });
        dispatcher.runDue();
        assertThat(ops.scheduler().get(fromPage).results().get("by", String.class)).isEqualTo("ann");
        assertThat(ops.scheduler().get(fromApi).results().get("by", String.class)).isEqualTo("api");
        assertThat(ops.admin().audit(fromPage)).extracting(e -> e.actor() + " " + e.action() + " " + e.detail().orElse(""))
                .containsExactly("ann signal approved");
    }

    // ---- parents and children ------------------------------------------------------------------------------------

    @Test
    void theOperationPageListsItsChildrenAndEachChildLinksToItsParent() {
        OperationId small = family(2);
        int oneMoreThanShown = 21;
        OperationId big = family(oneMoreThanShown);
        OperationId stranger = delayedShipping();
        List<OperationId> smallChildren = ops.admin().list(io.durableops.core.admin.OperationQuery.builder().parentId(small).build())
                .items().stream().map(io.durableops.core.admin.OperationSummary::id).toList();
        assertThat(smallChildren).hasSize(2);
        serve(web -> {
            signedIn(web, "bob");
            String page = web.get(B + "/operations/" + small).body();
            assertThat(page).contains("id=\"child-operations\"").contains(smallChildren.get(0).toString(), smallChildren.get(1).toString())
                    .contains("href=\"" + B + "/operations/" + smallChildren.get(0) + "\"").contains("pack")
                    .doesNotContain(stranger.toString()).doesNotContain("id=\"all-children\"").doesNotContain("id=\"op-parent\"");
            String child = web.get(B + "/operations/" + smallChildren.get(0)).body();
            assertThat(child).contains("<a href=\"" + B + "/operations/" + small + "\" class=\"mono\" id=\"op-parent\">" + small + "</a>")
                    .doesNotContain("id=\"child-operations\"");

            String many = web.get(B + "/operations/" + big).body();
            assertThat(many.split("<tr>", -1)).as("20 rows shown").hasSize(1 + 1 + 20);
            assertThat(many).contains("<a href=\"" + B + "/?parent=" + big + "\" id=\"all-children\">");
            String all = web.get(B + "/?parent=" + big).body();
            assertThat(all).contains("value=\"" + big + "\"").doesNotContain(small.toString()).doesNotContain(stranger.toString())
                    .containsPattern("running <b>" + oneMoreThanShown + "</b>");
            assertThat(web.get(B + "/?parent=nonsense").statusCode()).isEqualTo(400);

            JsonNode api = json(web.get(B + "/api/operations/" + small));
            assertThat(api.get("children")).hasSize(2);
            assertThat(api.get("moreChildren").asBoolean()).isFalse();
            assertThat(api.get("parentId").isNull()).isTrue();
            assertThat(json(web.get(B + "/api/operations/" + smallChildren.get(1))).get("parentId").asText()).isEqualTo(small.toString());
            assertThat(json(web.get(B + "/api/operations/" + big)).get("moreChildren").asBoolean()).isTrue();
            JsonNode filtered = json(web.get(B + "/api/operations?limit=100&parent=" + big));
            assertThat(filtered.get("items")).hasSize(oneMoreThanShown);
        });
    }

    // ---- schedules -----------------------------------------------------------------------------------------------

    @Test
    void operatorsPauseResumeAndTriggerSchedulesAndEachActionIsAudited() {
        ops.schedules().put("nightly", "shipping", io.durableops.core.Schedule.every(Duration.ofHours(1)), Map.of("parcel", "n"));
        String odd = "report <b>&\"";
        ops.schedules().put(odd, "shipping", io.durableops.core.Schedule.cron("0 2 * * *").inZone(java.time.ZoneId.of("Europe/Brussels"))
                .onOverlap(io.durableops.core.Schedule.Overlap.BUFFER_ONE).catchUp(3), Map.of());
        String nightly = B + "/schedules/nightly/";
        String oddPath = B + "/schedules/" + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20") + "/";
        serve(web -> {
            signedIn(web, "bob");
            String readOnly = web.get(B + "/schedules").body();
            assertThat(readOnly).contains("id=\"nav-schedules\"").contains("nightly", "every PT1H", "cron 0 2 * * * Europe/Brussels", "buffer_one", "catch up 3")
                    .contains("report &lt;b&gt;&amp;&quot;").doesNotContain("<b>&\"").doesNotContain("class=\"trigger\"").doesNotContain("class=\"pause\"");
            String token = WebClient.csrfOf(readOnly);
            for (String action : List.of("pause", "resume", "trigger")) {
                assertThat(web.post(nightly + action, List.of("_csrf", token)).statusCode()).as(action).isEqualTo(403);
                assertThat(web.postJson(B + "/api/schedules/nightly/" + action, "", "X-CSRF-Token", csrf(web)).statusCode()).as(action).isEqualTo(403);
            }
            JsonNode list = json(web.get(B + "/api/schedules"));
            assertThat(list.get("schedules")).hasSize(2);
            JsonNode first = list.get("schedules").get(0).get("name").asText().equals("nightly") ? list.get("schedules").get(0) : list.get("schedules").get(1);
            assertThat(first.get("interval").asText()).isEqualTo("PT1H");
            assertThat(first.get("paused").asBoolean()).isFalse();
            assertThat(first.get("nextTickAt").asText()).isNotBlank();
        });
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/schedules").body();
            assertThat(page).contains("class=\"trigger\"").contains("action=\"" + oddPath.replace("&", "&amp;") + "trigger\"");
            String token = WebClient.csrfOf(page);
            assertThat(web.post(nightly + "trigger", List.of()).statusCode()).as("CSRF").isEqualTo(403);
            assertThat(web.postJson(B + "/api/schedules/nightly/trigger", "").statusCode()).as("CSRF").isEqualTo(403);

            HttpResponse<String> trigger = web.post(nightly + "trigger", List.of("_csrf", token));
            assertThat(trigger.statusCode()).isEqualTo(303);
            assertThat(trigger.headers().firstValue("Location")).contains(B + "/schedules");
            OperationId started = ops.schedules().find("nightly").orElseThrow().lastOperation().orElseThrow();
            String after = web.get(B + "/schedules").body();
            assertThat(after).contains("Triggered schedule &#39;nightly&#39;: operation " + started + " started.")
                    .contains("href=\"" + B + "/operations/" + started + "\"");

            assertThat(web.post(nightly + "pause", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/schedules").body()).contains("Paused schedule &#39;nightly&#39;").contains("class=\"resume\"")
                    .contains("badge s-paused");
            assertThat(ops.schedules().find("nightly").orElseThrow().paused()).isTrue();
            HttpResponse<String> resumed = web.postJson(B + "/api/schedules/nightly/resume", "", "X-CSRF-Token", csrf(web));
            assertThat(resumed.statusCode()).isEqualTo(200);
            assertThat(json(resumed).get("paused").asBoolean()).isFalse();
            HttpResponse<String> apiTrigger = web.postJson(B + "/api/schedules/" + oddPath.substring((B + "/schedules/").length()) + "trigger", "",
                    "X-CSRF-Token", csrf(web));
            assertThat(apiTrigger.statusCode()).as(apiTrigger.body()).isEqualTo(200);
            assertThat(json(apiTrigger).get("name").asText()).isEqualTo(odd);
            assertThat(json(apiTrigger).get("lastOperation").asText()).isNotBlank();

            assertThat(web.post(B + "/schedules/nobody/pause", List.of("_csrf", token)).statusCode()).isEqualTo(404);
            assertThat(web.postJson(B + "/api/schedules/nobody/trigger", "", "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(404);
            assertThat(web.post(nightly + "explode", List.of("_csrf", token)).statusCode()).isEqualTo(404);
            assertThat(web.get(B + "/audit?action=schedule-trigger").body()).contains("schedule nightly");
        });
        assertThat(ops.admin().count(io.durableops.core.admin.OperationQuery.builder().definition("shipping").build())).isEqualTo(2);
        List<io.durableops.core.admin.AuditEntry> trail = ops.admin().auditPage(io.durableops.core.admin.AuditQuery.all()).entries();
        assertThat(trail).filteredOn(e -> e.action().startsWith("schedule-"))
                .extracting(e -> e.actor() + " " + e.action() + " " + e.detail().orElse(""))
                .containsExactly("ann schedule-trigger schedule " + odd, "ann schedule-resume schedule nightly",
                        "ann schedule-pause schedule nightly", "ann schedule-trigger schedule nightly");
        OperationId triggered = ops.schedules().find("nightly").orElseThrow().lastOperation().orElseThrow();
        assertThat(trail).filteredOn(e -> e.action().equals("schedule-trigger") && e.detail().orElse("").endsWith("nightly"))
                .singleElement().satisfies(e -> assertThat(e.operationId()).isEqualTo(triggered));
        assertThat(trail).filteredOn(e -> e.action().equals("denied")).hasSize(6 + 2);
    }

    // ---- set-aside staged work ---------------------------------------------------------------------------------

    @Test
    void operatorsReleaseAndDiscardSetAsideWorkWhichTheNavigationCounts() {
        serve(web -> {
            signedIn(web, "bob");
            assertThat(web.get(B + "/").body()).contains("id=\"nav-set-aside\"").doesNotContain("id=\"set-aside-count\"");
            assertThat(web.get(B + "/set-aside").body()).contains("Nothing is set aside.");
        });
        OperationId id = setAsideStagedWork();
        java.util.UUID item = ops.admin().setAsideWork(10).get(0).id();
        serve(web -> {
            signedIn(web, "bob");
            String readOnly = web.get(B + "/set-aside").body();
            assertThat(readOnly).contains("<b class=\"count\" id=\"set-aside-count\">1</b>").contains(item.toString())
                    .contains("href=\"" + B + "/operations/" + id + "\"").contains("mail").contains("cannot decrypt staged work")
                    .doesNotContain("class=\"release\"").doesNotContain("class=\"danger discard\"");
            String token = WebClient.csrfOf(readOnly);
            for (String action : List.of("release", "discard")) {
                assertThat(web.post(B + "/set-aside/" + item + "/" + action, List.of("_csrf", token)).statusCode()).as(action).isEqualTo(403);
                assertThat(web.postJson(B + "/api/set-aside/" + item + "/" + action, "", "X-CSRF-Token", csrf(web)).statusCode()).as(action).isEqualTo(403);
            }
            JsonNode list = json(web.get(B + "/api/set-aside"));
            assertThat(list.get("items")).hasSize(1);
            assertThat(list.get("items").get(0).get("operationId").asText()).isEqualTo(id.toString());
            assertThat(list.get("items").get(0).get("kind").asText()).isEqualTo("mail");
        });
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/set-aside").body();
            String token = WebClient.csrfOf(page);
            assertThat(web.post(B + "/set-aside/" + item + "/release", List.of()).statusCode()).as("CSRF").isEqualTo(403);
            assertThat(web.postJson(B + "/api/set-aside/" + item + "/discard", "").statusCode()).as("CSRF").isEqualTo(403);
            HttpResponse<String> release = web.post(B + "/set-aside/" + item + "/release", List.of("_csrf", token));
            assertThat(release.statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/set-aside").body()).contains("Released: the relay offers it again").contains("Nothing is set aside.")
                    .doesNotContain("id=\"set-aside-count\"");
            assertThat(web.post(B + "/set-aside/" + item + "/discard", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/set-aside").body()).as("released meanwhile: nothing to discard").contains("class=\"flash error\"");

            ops.relayNow(); // still undecryptable: set aside again
            assertThat(ops.admin().setAsideWork(10)).hasSize(1);
            HttpResponse<String> discard = web.postJson(B + "/api/set-aside/" + item + "/discard", "", "X-CSRF-Token", csrf(web));
            assertThat(discard.statusCode()).as(discard.body()).isEqualTo(200);
            assertThat(json(discard).get("done").asBoolean()).isTrue();
            assertThat(web.postJson(B + "/api/set-aside/" + item + "/discard", "", "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(409);
            assertThat(web.post(B + "/set-aside/not-a-uuid/release", List.of("_csrf", token)).statusCode()).isEqualTo(404);
            assertThat(web.post(B + "/set-aside/" + item + "/explode", List.of("_csrf", token)).statusCode()).isEqualTo(404);
            assertThat(web.get(B + "/operations/" + id).body()).contains("release-staged", "discard-staged");
        });
        assertThat(ops.admin().setAsideWork(10)).isEmpty();
        assertThat(ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action()).containsExactly("ann release-staged", "ann discard-staged");
        assertThat(ops.admin().auditPage(io.durableops.core.admin.AuditQuery.builder().action("denied").build()).entries())
                .as("refusals are recorded, none on the item's id as if it were an operation's").hasSize(4 + 2)
                .allSatisfy(e -> assertThat(e.operationId()).isNull());
    }

    // ---- versions and moves ------------------------------------------------------------------------------------

    /** A deploy whose version 2 of shipping renamed its delayed step: the operations of version 1 waiting at it pause. */
    private void redeployShippingWithoutItsStep() {
        ops.close();
        io.durableops.core.testing.ManualDispatcher second = new io.durableops.core.testing.ManualDispatcher(clock);
        ops = io.durableops.core.DurableOps.builder().dataSource(db.dataSource()).encryptor(io.durableops.core.AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .dispatcher(second).relayInterval(Duration.ZERO).strandedGrace(Duration.ofMinutes(1))
                .register(io.durableops.core.OperationDefinition.of("shipping", 2, f -> f
                        .action("label", io.durableops.core.test.Definitions.record(journal, "label"))
                        .action("hand-over", io.durableops.core.test.Definitions.record(journal, "hand-over"))
                        .result("shipped")))
                .build();
        ops.relayNow();
        clock.advance(Duration.ofMinutes(1).plusSeconds(31)); // past the stranded grace
        ops.relayNow();
    }

    @Test
    void operatorsMoveAPausedOperationToAStepOfTheCurrentVersionAndTheListShowsAndFiltersVersions() {
        OperationId first = delayedShipping();
        OperationId second = delayedShipping();
        redeployShippingWithoutItsStep();
        assertThat(ops.scheduler().get(first).status()).isEqualTo(OperationStatus.PAUSED);
        OperationId current = ops.scheduler().enqueue("shipping", Map.of());
        serve(web -> {
            signedIn(web, "bob");
            String list = web.get(B + "/").body();
            assertThat(list).contains("<th>Version</th>").contains("class=\"version\">v1</td>").contains("class=\"version\">v2</td>")
                    .contains("value=\"PAUSED\"").containsPattern("paused <b>2</b>");
            String paused = web.get(B + "/?status=PAUSED").body();
            assertThat(paused).contains(first.toString(), second.toString()).doesNotContain(current.toString());
            String v2 = web.get(B + "/?version=2").body();
            assertThat(v2).contains(current.toString()).doesNotContain(first.toString()).contains("id=\"f-version\" inputmode=\"numeric\" value=\"2\"");
            assertThat(json(web.get(B + "/api/operations?version=1")).get("items")).hasSize(2);
            assertThat(web.get(B + "/?version=two").statusCode()).isEqualTo(400);
            String readOnly = web.get(B + "/operations/" + first).body();
            assertThat(readOnly).doesNotContain("id=\"move\"");
            assertThat(web.post(B + "/operations/" + first + "/move", List.of("_csrf", WebClient.csrfOf(readOnly), "step", "label")).statusCode()).isEqualTo(403);
            assertThat(web.postJson(B + "/api/operations/" + first + "/move", "{\"step\":\"label\"}", "X-CSRF-Token", csrf(web)).statusCode()).isEqualTo(403);
        });
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/operations/" + first).body();
            assertThat(page).contains("id=\"move\"").contains("<option value=\"label\">").contains("<option value=\"hand-over\">")
                    .doesNotContain("<option value=\"pack\"");
            assertThat(web.get(B + "/operations/" + current).body()).as("a running operation is not moved").doesNotContain("id=\"move\"");
            assertThat(web.post(B + "/operations/" + first + "/move", List.of("step", "label")).statusCode()).as("CSRF").isEqualTo(403);
            HttpResponse<String> moved = web.post(B + "/operations/" + first + "/move", List.of("_csrf", WebClient.csrfOf(page), "step", "hand-over"));
            assertThat(moved.statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/operations/" + first).body()).contains("Moved to step &#39;hand-over&#39; of the current version");
            HttpResponse<String> unknown = web.postJson(B + "/api/operations/" + second + "/move", "{\"step\":\"pack\"}", "X-CSRF-Token", csrf(web));
            assertThat(unknown.statusCode()).isEqualTo(400);
            HttpResponse<String> api = web.postJson(B + "/api/operations/" + second + "/move", "{\"step\":\"label\"}", "X-CSRF-Token", csrf(web));
            assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
            assertThat(json(api).get("definitionVersion").asInt()).isEqualTo(2);
            assertThat(json(api).get("status").asText()).isEqualTo("RUNNING");
            assertThat(web.postJson(B + "/api/operations/" + current + "/move", "{\"step\":\"label\"}", "X-CSRF-Token", csrf(web)).statusCode())
                    .isEqualTo(409);
        });
        assertThat(ops.scheduler().get(first).currentStep()).isEqualTo("hand-over");
        assertThat(ops.admin().audit(first)).extracting(e -> e.actor() + " " + e.action())
                .containsExactly("bob denied", "bob denied", "ann denied", "ann move");
        assertThat(ops.admin().audit(first).get(3).detail()).contains("step hand-over of version 2");
        assertThat(ops.admin().audit(second)).extracting(e -> e.actor() + " " + e.action()).containsExactly("ann move");
    }

    // ---- bulk ------------------------------------------------------------------------------------------------

    @Test
    void bulkRetryConfirmsHowManyWillChangeAndThenRetriesThemAll() {
        for (int i = 0; i < 3; i++) failedBilling(Map.of("n", i));
        OperationId delayed = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            HttpResponse<String> confirm = web.get(B + "/bulk/retry?definition=billing&step=charge-card");
            assertThat(confirm.statusCode()).isEqualTo(200);
            assertThat(confirm.body()).contains("<b>3</b> operation(s) will be retried").contains("definition = billing, step = charge-card")
                    .contains("name=\"expected\" value=\"3\"");
            String token = WebClient.csrfOf(confirm.body());
            HttpResponse<String> stale = web.post(B + "/bulk/retry", List.of("_csrf", token, "expected", "2", "definition", "billing", "step", "charge-card"));
            assertThat(stale.statusCode()).isEqualTo(409);
            assertThat(stale.body()).contains("it now has 3 operation(s) to retry");
            providerDown.set(false);
            HttpResponse<String> done = web.post(B + "/bulk/retry", List.of("_csrf", token, "expected", "3", "definition", "billing", "step", "charge-card"));
            assertThat(runEnded(web, done)).contains("Retried 3 operation(s).");

            JsonNode count = json(web.get(B + "/api/bulk/expire?definition=shipping"));
            assertThat(count.get("count").asLong()).isEqualTo(1);
            String apiToken = csrf(web);
            assertThat(web.postJson(B + "/api/bulk/expire?definition=shipping&expected=5", "", "X-CSRF-Token", apiToken).statusCode()).isEqualTo(409);
            HttpResponse<String> expired = web.postJson(B + "/api/bulk/expire?definition=shipping&expected=1", "", "X-CSRF-Token", apiToken);
            assertThat(expired.statusCode()).isEqualTo(200);
            assertThat(json(expired).get("changed").asLong()).isEqualTo(1);
            assertThat(json(expired).get("run").asText()).matches("[0-9a-f-]{36}");
            assertThat(web.get(B + "/bulk/expire?definition=shipping").body()).contains("No operation of this filter can be expired");
            assertThat(web.get(B + "/bulk/explode").statusCode()).isEqualTo(404);
        });
        dispatcher.runDue();
        assertThat(ops.admin().count(io.durableops.core.admin.OperationQuery.builder().statuses(OperationStatus.COMPLETED).build())).isEqualTo(3);
        assertThat(ops.scheduler().get(delayed).status()).isEqualTo(OperationStatus.EXPIRED);
        assertThat(ops.admin().recentAudit(10)).filteredOn(e -> !e.action().equals("sign-in")).hasSize(4)
                .allSatisfy(e -> assertThat(e.actor()).isEqualTo("ann"));
    }

    // ---- escaping, opening, SSO, binding -------------------------------------------------------------------------

    @Test
    void everyValueIsEscapedAndNoScriptMayRun() {
        String evil = "<script>alert(1)</script>";
        OperationId id = ops.scheduler().enqueue("shipping", Map.of("note", evil, "\"quote'", "x"), EnqueueOptions.idempotencyKey("<b>k</b>"));
        serve(web -> {
            signedIn(web, "ann");
            for (String path : List.of("/operations/" + id, "/?q=" + java.net.URLEncoder.encode("<b>k</b>", java.nio.charset.StandardCharsets.UTF_8))) {
                HttpResponse<String> page = web.get(B + path);
                assertThat(page.body()).as(path).doesNotContain(evil).doesNotContain("<b>k</b>");
                assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp ->
                        assertThat(csp).contains("default-src 'none'", "script-src 'self';").doesNotContain("unsafe"));
                assertThat(page.body()).as("no inline script").doesNotContainPattern("<script(?![^>]*\\bsrc=)");
                assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
            }
            assertThat(web.get(B + "/operations/" + id).body()).contains("&lt;script&gt;alert(1)&lt;/script&gt;");
            assertThat(web.get(B + "/?definition=" + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8)).body())
                    .doesNotContain(evil).contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
        });
    }

    @Test
    void openWithoutCredentialsServesEveryoneWithThatRoleOnly() {
        OperationId id = failedBilling(Map.of());
        serve(AdminUi.builder(ops).openWithoutCredentials(Role.READ_ONLY), web -> {
            HttpResponse<String> list = web.get(B + "/");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).contains(id.toString()).doesNotContain("Retry all");
            assertThat(web.post(B + "/operations/" + id + "/retry", List.of("_csrf", csrf(web))).statusCode()).isEqualTo(403);
        });
        assertThatThrownBy(() -> Javalin.create(config -> AdminUi.builder(ops).mount(config, B))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("users(...) or authenticator(...) is required");
    }

    @Test
    void aPluggableAuthenticatorCanTrustAnSsoProxyAndCsrfStillApplies() {
        OperationId id = failedBilling(Map.of());
        Authenticator sso = new Authenticator() {
            @Override
            public Optional<AdminUser> fromRequest(Context ctx) {
                return Optional.ofNullable(ctx.header("X-Forwarded-User")).map(u -> AdminUser.of(u, Role.OPERATOR));
            }
        };
        providerDown.set(false);
        serve(AdminUi.builder(ops).authenticator(sso), web -> {
            assertThat(web.get(B + "/").statusCode()).isEqualTo(401);
            HttpResponse<String> page = web.get(B + "/operations/" + id, "X-Forwarded-User", "sso-sam");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(web.post(B + "/operations/" + id + "/retry", List.of(), "X-Forwarded-User", "sso-sam").statusCode()).isEqualTo(403);
            assertThat(web.post(B + "/operations/" + id + "/retry", List.of("_csrf", WebClient.csrfOf(page.body())), "X-Forwarded-User", "sso-sam")
                    .statusCode()).isEqualTo(303);
        });
        assertThat(ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action()).containsExactly("sso-sam denied", "sso-sam retry");
    }

    @Test
    void startedOnItsOwnItListensOn127001ByDefault() {
        try (AdminUi ui = AdminUi.builder(ops).users(USERS).port(0).start()) {
            assertThat(ui.url()).startsWith("http://127.0.0.1:").endsWith("/");
            WebClient web = new WebClient(ui.url().substring(0, ui.url().length() - 1));
            assertThat(web.get("/").statusCode()).isEqualTo(401);
            assertThat(web.login("", "ann", "ann-secret").statusCode()).isEqualTo(303);
            assertThat(web.get("/").statusCode()).isEqualTo(200);
        }
    }
}
