package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.ConfigurationException;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;
import io.durableops.core.admin.AttemptDetail;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The operation page's step graph, timeline, waits and JobRunr links, and the definitions page with its counts, over
 * real HTTP on a real database. Each database runs it through a small subclass.
 */
abstract class OperationGraphContractTest extends AdminFixture {
    final AtomicBoolean approve = new AtomicBoolean(true);
    final AtomicBoolean ready = new AtomicBoolean(false);

    /** This suite's own definitions: a flow with a decision, a signal wait with a timeout, retries and a failure branch. */
    @Override
    protected List<OperationDefinition> definitions() {
        return List.of(OperationDefinition.of("order", 1, f -> f
                                .action("reserve", ctx -> { })
                                .result("done")),
                        OperationDefinition.of("order", 2, f -> f
                                .action("reserve", ctx -> { })
                                .decision("approved?", ctx -> approve.get(), "await-payment", "rejected")
                                .awaitSignal("await-payment", "paid", WaitOptions.timeout(Duration.ofHours(2)).onTimeout("rejected"))
                                .action("charge", ctx -> {
                                    if (providerDown.get()) throw new IllegalStateException("payment provider unavailable");
                                }, StepOptions.retry(RetryPolicy.fixed(3, Duration.ofSeconds(10))))
                                .result("done")
                                .branch("refusals")
                                .failure("rejected", "not approved")),
                        OperationDefinition.of("inventory", f -> f
                                .waitUntil("stocked?", ctx -> ready.get(), WaitOptions.defaults().every(Duration.ofMinutes(1)))
                                .action("ship", ctx -> { }, StepOptions.delay(Duration.ofHours(1)))
                                .result("shipped")));
    }

    @Test
    void theGraphHasOneNodePerStepOfTheOperationsVersionWithItsPathMarked() {
        OperationId id = order();
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/operations/" + id).body();
            assertThat(nodes(page)).containsExactly(
                    "reserve=visited", "approved?=visited", "await-payment=current", "charge=none", "done=none", "rejected=none");
            assertThat(count(page, "class=\"edge taken\"")).as("reserve → approved? → await-payment").isEqualTo(2);

            ops.scheduler().signal(id, "paid", null);
            runFor(Duration.ofSeconds(30)); // charge fails three times, 10 s apart
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
            String failed = web.get(B + "/operations/" + id).body();
            assertThat(nodes(failed)).containsExactly(
                    "reserve=visited", "approved?=visited", "await-payment=visited", "charge=failed", "done=none", "rejected=none");
            assertThat(count(failed, "class=\"edge taken\"")).isEqualTo(3);
            String chart = between(failed, "id=\"timeline-chart\"", "</svg>");
            assertThat(count(chart, "<g class=\"lane\"")).as("one lane per attempt").isEqualTo(4);
            assertThat(count(chart, "class=\"fail-mark\"")).as("each failed try").isEqualTo(3);
            assertThat(chart).contains("class=\"bar wait\"", "class=\"bar run s-failed\"", "class=\"bar retry-wait\"",
                    "class=\"bar retry\"", "after try 2 failed, try 3 was due");
        });
    }

    @Test
    void aSignalWaitShowsWhatItWaitsForAndItsTimeoutAndOffersNoRunNow() {
        OperationId id = order();
        Instant reached = ops.admin().attemptDetails(id).get(2).createdAt();
        serve(web -> {
            signedIn(web, "ann");
            String page = web.get(B + "/operations/" + id).body();
            assertThat(between(page, "id=\"op-waiting\">", "</dd>")).contains("signal paid");
            assertThat(between(page, "id=\"op-timeout\">", "</dd>")).contains("datetime=\"" + reached.plus(Duration.ofHours(2)) + "\"");
            assertThat(page).doesNotContain("id=\"run-now\"", "id=\"check-now\"", "Next run", "id=\"op-next-run\"")
                    .contains("id=\"signal\"", "id=\"expire\"", "waits for <bdi>signal paid</bdi>");

            OperationId inventory = ops.scheduler().enqueue("inventory", Map.of());
            dispatcher.runDue();
            String condition = web.get(B + "/operations/" + inventory).body();
            assertThat(between(condition, "id=\"op-timeout\">", "</dd>")).contains("never (no timeout)");
            assertThat(condition).contains("id=\"check-now\"").doesNotContain("id=\"run-now\"");
            ready.set(true);
            assertThat(web.post(B + "/operations/" + inventory + "/run-now", List.of("_csrf", WebClient.csrfOf(condition))).statusCode()).isEqualTo(303);
            dispatcher.runDue();
            assertThat(ops.scheduler().get(inventory).currentStep()).as("checked now, then on to the delayed step").isEqualTo("ship");
            String delayed = web.get(B + "/operations/" + inventory).body();
            assertThat(delayed).contains("id=\"run-now\"", "id=\"op-next-run\"").doesNotContain("id=\"op-waiting\"", "id=\"check-now\"");
        });
    }

    @Test
    void eachAttemptLinksToItsJobRunrJobWhenTheDashboardIsConfiguredAndNotOtherwise() {
        OperationId id = order();
        List<String> expected = new ArrayList<>();
        for (AttemptDetail d : ops.admin().attemptDetails(id)) {
            expected.add("http://jobrunr.example:8000/dashboard/jobs/" + JobRunrDispatcher.jobId(d.attemptId(), d.generation()));
        }
        serve(AdminUi.builder(ops).users(USERS).clock(clock).jobRunrDashboard("http://jobrunr.example:8000/"), web -> {
            signedIn(web, "bob");
            String page = web.get(B + "/operations/" + id).body();
            assertThat(hrefs(page, "job-link")).containsExactlyElementsOf(expected);
        });
        serve(web -> {
            signedIn(web, "bob");
            assertThat(web.get(B + "/operations/" + id).body()).doesNotContain("job-link", "/dashboard/jobs/");
        });
        assertThatThrownBy(() -> AdminUi.builder(ops).users(USERS).jobRunrDashboard("javascript:alert(1)").port(0).start())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("jobRunrDashboard must be an http:// or https:// URL");
    }

    @Test
    void theDefinitionsPageAndApiCountOperationsPerStepAndStatusAndLinkToTheList() {
        OperationId waiting1 = order();
        OperationId waiting2 = order();
        approve.set(false);
        OperationId refused = order();
        approve.set(true);
        OperationId charged = order();
        ops.scheduler().signal(charged, "paid", null);
        runFor(Duration.ofSeconds(30));
        assertThat(ops.scheduler().get(refused).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(charged).status()).isEqualTo(OperationStatus.FAILED);
        serve(web -> {
            signedIn(web, "bob");
            String page = web.get(B + "/definitions").body();
            assertThat(web.get(B + "/").body()).contains("id=\"nav-definitions\"");
            String order = between(page, "data-definition=\"order\"", "</section>");
            assertThat(count(order, "class=\"graph\"")).as("one graph per version").isEqualTo(2);
            String v2 = between(order, "data-version=\"2\"", "</table>");
            assertThat(count(v2, "<g class=\"node")).isEqualTo(6);
            assertThat(cell(v2, "await-payment", "RUNNING")).isEqualTo("2");
            assertThat(cell(v2, "charge", "FAILED")).isEqualTo("1");
            assertThat(cell(v2, "rejected", "FAILED")).isEqualTo("1");
            assertThat(cell(v2, "reserve", "RUNNING")).isEqualTo("0");
            assertThat(count(v2, "class=\"count-link")).as("only counts above zero link").isEqualTo(3);

            String link = hrefs(between(v2, "<tr data-step=\"await-payment\"", "</tr>"), "count-link").get(0).replace("&amp;", "&");
            assertThat(link).startsWith(B + "/?").contains("definition=order", "version=2", "step=await-payment", "status=RUNNING");
            JsonNode listed = json(web.get(B + "/api/operations" + link.substring(link.indexOf('?'))));
            List<String> ids = new ArrayList<>();
            listed.get("items").forEach(i -> ids.add(i.get("id").asText()));
            assertThat(ids).containsExactlyInAnyOrder(waiting1.toString(), waiting2.toString());

            JsonNode api = json(web.get(B + "/api/definitions"));
            JsonNode def = null;
            for (JsonNode d : api.get("definitions")) if (d.get("name").asText().equals("order")) def = d;
            assertThat(def).isNotNull();
            assertThat(def.get("latestVersion").asInt()).isEqualTo(2);
            assertThat(def.get("versions")).hasSize(2);
            JsonNode wait = def.get("versions").get(1).get("steps").get(2);
            assertThat(wait.get("kind").asText()).isEqualTo("AWAIT_SIGNAL");
            assertThat(wait.get("signal").asText()).isEqualTo("paid");
            assertThat(wait.get("edges").toString()).contains("\"target\":\"rejected\",\"when\":\"ON_TIMEOUT\"");
            List<String> counts = new ArrayList<>();
            def.get("counts").forEach(c -> counts.add(c.get("version").asInt() + " " + c.get("step").asText() + " "
                    + c.get("status").asText() + " " + c.get("count").asLong()));
            assertThat(counts).containsExactlyInAnyOrder("2 await-payment RUNNING 2", "2 charge FAILED 1", "2 rejected FAILED 1");
        });
    }

    /** An order on version 2, run until it waits for its payment (or, not approved, fails). */
    OperationId order() {
        OperationId id = ops.scheduler().enqueue("order", Map.of());
        dispatcher.runDue();
        return id;
    }

    void runFor(Duration span) {
        io.durableops.core.test.Drive.runFor(clock, dispatcher, span);
    }

    /** Each node of the page's first graph as "step=state", in the graph's order. */
    static List<String> nodes(String page) {
        List<String> nodes = new ArrayList<>();
        Matcher m = Pattern.compile("<g class=\"node [^\"]*\" data-step=\"([^\"]*)\" data-state=\"([^\"]*)\"").matcher(between(page, "<svg class=\"graph\"", "</svg>"));
        while (m.find()) nodes.add(m.group(1).replace("&#39;", "'") + "=" + m.group(2));
        return nodes;
    }

    /** The count shown for {@code step} and {@code status} in a counts table. */
    static String cell(String table, String step, String status) {
        String row = between(table, "<tr data-step=\"" + step + "\"", "</tr>");
        return between(row, "data-status=\"" + status + "\">", "</td>").replaceAll("<[^>]*>", "");
    }

    static List<String> hrefs(String html, String cls) {
        List<String> hrefs = new ArrayList<>();
        Matcher m = Pattern.compile("<a href=\"([^\"]*)\" class=\"" + cls).matcher(html);
        while (m.find()) hrefs.add(m.group(1));
        return hrefs;
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) n++;
        return n;
    }

    static String between(String text, String from, String to) {
        int start = text.indexOf(from);
        assertThat(start).as("'" + from + "' in the page").isGreaterThanOrEqualTo(0);
        int end = text.indexOf(to, start + from.length());
        return text.substring(start + from.length(), end < 0 ? text.length() : end);
    }
}
