package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationQuery;
import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bulk actions in the background over real HTTP on a real database: the confirmed action starts on the UI's executor,
 * its progress page (and JSON twin) follows it to the end, and "Show these operations" lists what it changed in
 * whatever status they are in now. Each database runs it through a small subclass.
 */
abstract class BulkRunsHttpContractTest extends AdminFixture {
    @Test
    void aConfirmedRetryRunsInTheBackgroundItsPageFollowsItAndShowsTheSetItChanged() {
        List<OperationId> failed = new ArrayList<>();
        for (int i = 0; i < 3; i++) failed.add(failedBilling(Map.of("n", i)));
        OperationId delayed = delayedShipping();
        providerDown.set(false);
        serve(web -> {
            signedIn(web, "ann");
            HttpResponse<String> confirm = web.get(B + "/bulk/retry?status=FAILED&definition=billing");
            HttpResponse<String> started = web.post(B + "/bulk/retry", List.of("_csrf", WebClient.csrfOf(confirm.body()), "expected", "3",
                    "status", "FAILED", "definition", "billing"));
            String location = runPage(started);
            String run = location.substring(location.lastIndexOf('/') + 1);
            String page = runEnded(web, location);
            assertThat(page).contains("data-state=\"done\"", "Retried 3 operation(s).", "id=\"run-eligible\">3<", "id=\"run-changed\">3<",
                    "id=\"run-skipped\">0 ", "status in [FAILED], definition = billing", "id=\"run-actor\">", "ann")
                    .contains("href=\"" + B + "/?bulkRun=" + run + "\"").doesNotContain("data-refresh=");

            JsonNode json = json(web.get(B + "/api/bulk/runs/" + run));
            assertThat(json.get("state").asText()).isEqualTo("done");
            assertThat(json.get("action").asText()).isEqualTo("retry");
            assertThat(json.get("actor").asText()).isEqualTo("ann");
            assertThat(json.get("eligible").asLong()).isEqualTo(3);
            assertThat(json.get("changed").asLong()).isEqualTo(3);
            assertThat(json.get("skipped").asLong()).isZero();
            assertThat(json.get("finishedAt").isNull()).isFalse();
            assertThat(json.get("operations").asText()).isEqualTo("bulkRun=" + run);

            dispatcher.runDue(); // the retried ones complete: none is FAILED any more
            String list = web.get(B + "/?bulkRun=" + run).body();
            assertThat(list).contains("id=\"bulk-run-filter\"", "name=\"bulkRun\" value=\"" + run + "\"");
            JsonNode items = json(web.get(B + "/api/operations?bulkRun=" + run)).get("items");
            assertThat(items).extracting(i -> i.get("id").asText())
                    .containsExactlyInAnyOrderElementsOf(failed.stream().map(OperationId::toString).toList());
            assertThat(items).extracting(i -> i.get("status").asText()).containsOnly("COMPLETED");
            assertThat(json(web.get(B + "/api/operations?status=FAILED&bulkRun=" + run)).get("items")).isEmpty();
            assertThat(json(web.get(B + "/api/operations/counts?bulkRun=" + run)).get("matching").asLong()).isEqualTo(3);

            assertThat(web.get(B + "/?bulkRun=not-a-run").statusCode()).isEqualTo(400);
            assertThat(web.get(B + "/api/operations?bulkRun=123").body()).contains("not a bulk run's id");
            HttpResponse<String> unknown = web.get(B + "/bulk/runs/" + java.util.UUID.randomUUID());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("memory of the node that ran it");
            assertThat(web.get(B + "/api/bulk/runs/nope").statusCode()).isEqualTo(404);
        });
        assertThat(ops.scheduler().get(delayed).status()).isEqualTo(OperationStatus.RUNNING);
        assertThat(failed).allSatisfy(id -> assertThat(ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action())
                .containsExactly("ann retry"));
    }

    @Test
    void aRunningRunShowsItsProgressAThirdIsRefusedAndReadOnlyUsersMayWatch() {
        for (int i = 0; i < 3; i++) failedBilling(Map.of("n", i));
        for (int i = 0; i < 3; i++) delayedShipping();
        CountDownLatch release = new CountDownLatch(1);
        AdminUi.Builder ui = AdminUi.builder(ops.scheduler(), pausingAfterTheFirst(ops.admin(), release)).users(USERS).clock(clock);
        serve(ui, web -> {
            signedIn(web, "ann");
            String token = WebClient.csrfOf(web.get(B + "/bulk/retry?definition=billing").body());
            String retry = runPage(web.post(B + "/bulk/retry", List.of("_csrf", token, "expected", "3", "definition", "billing")));
            await().atMost(Duration.ofSeconds(30)).until(() -> web.get(retry).body().contains("id=\"run-changed\">1<"));
            String page = web.get(retry).body();
            assertThat(page).contains("data-state=\"running\"", "id=\"run-eligible\">3<", "data-refresh=\"5\"", "data-live")
                    .contains("<progress id=\"run-progress\" max=\"3\" value=\"1\">").doesNotContain("Retried");
            String run = retry.substring(retry.lastIndexOf('/') + 1);
            JsonNode json = json(web.get(B + "/api/bulk/runs/" + run));
            assertThat(json.get("state").asText()).isEqualTo("running");
            assertThat(json.get("changed").asLong()).isEqualTo(1);
            assertThat(json.get("finishedAt").isNull()).isTrue();

            String expire = runPage(web.post(B + "/bulk/expire", List.of("_csrf", token, "expected", "3", "definition", "shipping")));
            await().atMost(Duration.ofSeconds(30)).until(() -> web.get(expire).body().contains("id=\"run-changed\">1<"));
            HttpResponse<String> third = web.post(B + "/bulk/cancel", List.of("_csrf", token, "expected", "2", "definition", "shipping"));
            assertThat(third.statusCode()).isEqualTo(503);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();
            assertThat(third.body()).contains("id=\"confirm-warning\"", "2 bulk actions are already running on this node");
            HttpResponse<String> thirdApi = web.postJson(B + "/api/bulk/cancel?definition=shipping&background=true", "", "X-CSRF-Token", csrf(web));
            assertThat(thirdApi.statusCode()).isEqualTo(503);
            assertThat(json(thirdApi).get("error").asText()).contains("already running");

            WebClient bob = signedIn(new WebClient(web.origin()), "bob"); // read-only: may watch a run, may start none
            assertThat(bob.get(retry).body()).contains("data-state=\"running\"");
            assertThat(bob.get(B + "/api/bulk/runs/" + run).statusCode()).isEqualTo(200);
            assertThat(bob.postJson(B + "/api/bulk/retry?definition=billing&background=true", "", "X-CSRF-Token", csrf(bob)).statusCode())
                    .isEqualTo(403);
            release.countDown();
            assertThat(runEnded(bob, retry)).contains("Retried 3 operation(s).");
            assertThat(runEnded(web, expire)).contains("Expired 3 operation(s).");

            HttpResponse<String> background = web.postJson(B + "/api/bulk/cancel?definition=shipping&background=true", "", "X-CSRF-Token", csrf(web));
            assertThat(background.statusCode()).as(background.body()).isEqualTo(202);
            String cancel = B + "/bulk/runs/" + json(background).get("run").asText();
            assertThat(runEnded(web, cancel)).as("every shipping operation was expired meanwhile").contains("Cancelled 0 operation(s).");
        });
        assertThat(ops.admin().count(OperationQuery.builder().statuses(OperationStatus.EXPIRED).build())).isEqualTo(3);
        assertThat(ops.admin().count(OperationQuery.builder().statuses(OperationStatus.RUNNING).definition("billing").build())).isEqualTo(3);
    }

    /**
     * The admin, with every bulk run pausing after its first operation until {@code release} (the run's own listener
     * has heard of it by then): the test sees it running with progress, and can fill the executor.
     */
    static OperationAdmin pausingAfterTheFirst(OperationAdmin real, CountDownLatch release) {
        return delegate(OperationAdmin.class, real, (method, args) -> {
            Object result = method.invoke(real, args);
            if (!method.getName().equals("as")) return result;
            OperationAdmin.Operator operator = (OperationAdmin.Operator) result;
            return delegate(OperationAdmin.Operator.class, operator, (m, a) -> {
                if (a != null && a.length > 0 && a[a.length - 1] instanceof BulkListener listener) {
                    a[a.length - 1] = (BulkListener) (eligible, changed, skipped) -> {
                        listener.progress(eligible, changed, skipped);
                        try {
                            if (changed + skipped == 1 && !release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException("interrupted");
                        }
                    };
                }
                return m.invoke(operator, a);
            });
        });
    }

    interface Call {
        Object invoke(java.lang.reflect.Method method, Object[] args) throws Exception;
    }

    @SuppressWarnings("unchecked")
    static <T> T delegate(Class<T> type, T real, Call call) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, method, args) -> {
            try {
                return call.invoke(method, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
