package io.durableops.admin;

import io.durableops.jobrunr.JobRunrHarness;

import io.durableops.core.AttemptStatus;
import io.durableops.core.AttemptView;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.test.Journal;
import io.durableops.core.test.TestDatabase;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.states.StateName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An operator in headless Chromium, against the admin UI on its own port and the real engine running on JobRunr.
 * Each database runs it through a small subclass.
 */
abstract class AdminBrowserContractTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Duration REMINDER_DELAY = Duration.ofSeconds(10);

    final Journal journal = new Journal();
    final AtomicBoolean providerDown = new AtomicBoolean(true);
    /** When set, the charge-card step waits for it: the test sees the operation running before it completes. */
    volatile CountDownLatch hold;
    TestDatabase db;
    JobRunrHarness engine;
    AdminUi ui;
    ChromeDriver browser;

    abstract TestDatabase database();

    @BeforeEach
    void start() {
        browser = Chromium.start(1280, 900);
        db = database();
        engine = new JobRunrHarness(db.dataSource(), Duration.ofSeconds(30),
                define("subscription-fulfillment", f -> f
                        .action("charge-card", ctx -> {
                            journal.ran("charge-card");
                            if (providerDown.get()) throw new IllegalStateException("payment provider unavailable (HTTP 503)");
                            CountDownLatch h = hold;
                            if (h != null && !h.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("never released");
                        }, StepOptions.retry(RetryPolicy.none()))
                        .action("send-receipt", ctx -> journal.ran("send-receipt"))
                        .result("fulfilled")),
                define("reminder", f -> f
                        .action("send", ctx -> journal.ran("send " + ctx.get("to", String.class)), StepOptions.delay(REMINDER_DELAY))
                        .result("sent")),
                define("family", f -> f
                        .action("spawn", ctx -> ctx.startChild("reminder", Map.of("to", "child@example.com")))
                        .awaitChildren("children?", io.durableops.core.WaitOptions.defaults())
                        .result("raised")),
                define("stages", f -> f
                        // JobRunr's dispatcher refuses any kind but its own: the relay sets the item aside after 10 passes
                        .action("stage", ctx -> ctx.stage(new io.durableops.core.StagedWork(java.util.UUID.randomUUID(), "mail", "{}")))
                        .result("done")),
                define("noisy", f -> f
                        .action("explode", ctx -> {
                            throw new IllegalStateException("E".repeat(100_000));
                        }, StepOptions.retry(RetryPolicy.none()))
                        .result("never")));
        ui = AdminUi.builder(engine.ops).users(PasswordUsers.builder()
                        .operator("ann", PasswordHash.hash("ann-secret".toCharArray())).build())
                .port(0).start();
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.quit();
        if (ui != null) ui.close();
        if (engine != null) engine.close();
        if (db != null) db.close();
    }

    void signIn() {
        browser.get(ui.url());
        browser.findElement(By.id("username")).sendKeys("ann");
        browser.findElement(By.id("password")).sendKeys("ann-secret");
        browser.findElement(By.id("sign-in")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("operations")));
        assertThat(browser.findElement(By.id("who")).getText()).startsWith("ann");
    }

    /** Clicks what {@code by} finds, again if the page's auto-refresh swapped it out meanwhile. */
    void clickThroughRefreshes(By by) {
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
            d.findElement(by).click();
            return true;
        });
    }

    String statusOnPage() {
        return browser.findElement(By.id("op-status")).getText();
    }

    /** Reloads the operation page until its status reads {@code status}. */
    void awaitStatusOnPage(String status) {
        new WebDriverWait(browser, WAIT).pollingEvery(Duration.ofMillis(250)).until(d -> {
            d.navigate().refresh();
            return statusOnPage().equals(status);
        });
    }

    @Test
    void anOperatorFiltersToAFailedOperationReadsItsStackTraceRetriesItAndSeesItSucceed() {
        OperationId failed = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 42));
        OperationId running = engine.ops.scheduler().enqueue("reminder", Map.of("to", "ada@example.com"));
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(failed).status() == OperationStatus.FAILED);

        signIn();
        assertThat(browser.findElement(By.id("operations")).getText()).contains("subscription-fulfillment", "reminder");
        browser.findElement(By.cssSelector("input[name=status][value=FAILED]")).click();
        browser.findElement(By.id("f-definition")).sendKeys("subscription-fulfillment");
        browser.findElement(By.id("apply")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("status=FAILED"));
        List<WebElement> links = browser.findElements(By.cssSelector("#operations a.op-link"));
        assertThat(links).hasSize(1);
        assertThat(browser.findElement(By.id("operations")).getText()).contains(failed.toString()).doesNotContain(running.toString());

        links.get(0).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-id"), failed.toString()));
        assertThat(statusOnPage()).isEqualTo("failed");
        WebElement error = browser.findElement(By.cssSelector("details.error"));
        WebElement stack = error.findElement(By.cssSelector("pre.stack"));
        assertThat(stack.isDisplayed()).as("stack traces are collapsed by default").isFalse();
        error.findElement(By.tagName("summary")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOf(stack));
        assertThat(stack.getText()).contains("java.lang.IllegalStateException: payment provider unavailable (HTTP 503)")
                .contains("\tat ".trim());

        providerDown.set(false); // the provider is back
        browser.findElement(By.id("retry")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Retried"));
        awaitStatusOnPage("completed");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("send-receipt").contains("fulfilled");
        assertThat(browser.findElement(By.id("audit")).getText()).contains("ann").contains("retry");
        assertThat(journal.count("charge-card")).isEqualTo(2);
        assertThat(journal.count("send-receipt")).isEqualTo(1);
    }

    @Test
    void anOperatorGoesFromAParentToItsChildAndBack() {
        OperationId parent = engine.ops.scheduler().enqueue("family", Map.of());
        OperationQuery children = OperationQuery.builder().parentId(parent).build();
        await().atMost(WAIT).until(() -> engine.ops.admin().count(children) == 1);
        OperationId child = engine.ops.admin().list(children).items().get(0).id();

        signIn();
        browser.get(ui.url() + "operations/" + parent);
        WebElement table = browser.findElement(By.id("child-operations"));
        assertThat(table.getText()).contains("reminder", child.toString(), "send");
        table.findElement(By.linkText("reminder")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-id"), child.toString()));
        assertThat(browser.findElements(By.id("child-operations"))).isEmpty();
        browser.findElement(By.id("op-parent")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-id"), parent.toString()));
        assertThat(browser.findElement(By.id("op-step")).getText()).isEqualTo("children?");
    }

    @Test
    void anOperatorTriggersAScheduleAndFollowsItToTheOperationItStarted() {
        engine.ops.schedules().put("weekly-reminder", "reminder", io.durableops.core.Schedule.cron("0 3 * * 1"), Map.of("to", "tick@example.com"));

        signIn();
        browser.findElement(By.id("nav-schedules")).click();
        WebElement row = new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr.schedule[data-schedule='weekly-reminder']")));
        assertThat(row.getText()).contains("weekly-reminder", "reminder", "cron 0 3 * * 1 Z", "time zone Z");
        assertThat(row.findElements(By.className("last-operation"))).isEmpty();
        clickThroughRefreshes(By.cssSelector("tr.schedule[data-schedule='weekly-reminder'] .trigger"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Triggered schedule 'weekly-reminder'"));
        OperationId started = engine.ops.schedules().find("weekly-reminder").orElseThrow().lastOperation().orElseThrow();
        clickThroughRefreshes(By.cssSelector("tr.schedule[data-schedule='weekly-reminder'] .last-operation"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-id"), started.toString()));
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("reminder");

        browser.navigate().back();
        clickThroughRefreshes(By.cssSelector("tr.schedule[data-schedule='weekly-reminder'] .pause"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Paused schedule"));
        assertThat(browser.findElement(By.cssSelector("tr.schedule[data-schedule='weekly-reminder']")).getText()).contains("paused");
        assertThat(engine.ops.schedules().find("weekly-reminder").orElseThrow().paused()).isTrue();
        assertThat(engine.ops.admin().auditPage(io.durableops.core.admin.AuditQuery.builder().actor("ann").build()).entries())
                .extracting(io.durableops.core.admin.AuditEntry::action).contains("schedule-trigger", "schedule-pause");
    }

    @Test
    void anOperatorSeesSetAsideWorkCountedReleasesItAndDiscardsItWhenItIsSetAsideAgain() {
        OperationId id = engine.ops.scheduler().enqueue("stages", Map.of());
        Duration setAside = Duration.ofSeconds(60); // the dispatch grace, then ten relay passes a second apart
        await().atMost(setAside).until(() -> engine.ops.admin().setAsideWork(10).size() == 1);

        signIn();
        assertThat(browser.findElement(By.id("set-aside-count")).getText()).isEqualTo("1");
        browser.findElement(By.id("nav-set-aside")).click();
        By row = By.cssSelector("#set-aside tr.set-aside-item");
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(row));
        assertThat(browser.findElement(row).getText()).contains(id.toString(), "mail", "refused it on 10 passes in a row");
        clickThroughRefreshes(By.cssSelector("#set-aside tr.set-aside-item .release"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Released"));

        await().atMost(setAside).until(() -> engine.ops.admin().setAsideWork(10).size() == 1);
        browser.navigate().refresh();
        clickThroughRefreshes(By.cssSelector("#set-aside tr.set-aside-item .discard"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Discarded"));
        assertThat(browser.findElement(By.id("no-set-aside")).getText()).isEqualTo("Nothing is set aside.");
        assertThat(browser.findElements(By.id("set-aside-count"))).isEmpty();
        assertThat(engine.ops.admin().audit(id)).extracting(e -> e.actor() + " " + e.action())
                .containsExactly("ann release-staged", "ann discard-staged");
    }

    @Test
    void anOperatorFiltersByVersionAndMovesAFailedOperationPastItsFailedStep() {
        OperationId failed = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 7));
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(failed).status() == OperationStatus.FAILED);

        signIn();
        browser.findElement(By.id("f-version")).sendKeys("1");
        browser.findElement(By.id("apply")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("version=1"));
        assertThat(browser.findElement(By.id("operations")).getText()).contains("subscription-fulfillment", "v1");
        browser.get(ui.url() + "operations/" + failed);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("move-step"))).selectByValue("send-receipt");
        browser.findElement(By.id("move")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Moved to step 'send-receipt'"));
        awaitStatusOnPage("completed");
        assertThat(journal.entries()).containsExactly("charge-card", "send-receipt");
        assertThat(browser.findElement(By.id("audit")).getText()).contains("ann", "move", "step send-receipt of version 1");
    }

    @Test
    void anOperatorExpiresADelayedOperationAndItsStepNeverRuns() {
        OperationId expired = engine.ops.scheduler().enqueue("reminder", Map.of("to", "expired@example.com"));
        // due just after the first one: once it has run, the first one's time has passed too
        OperationId control = engine.ops.scheduler().enqueue("reminder", Map.of("to", "control@example.com"));

        signIn();
        browser.get(ui.url() + "operations/" + expired);
        assertThat(statusOnPage()).isEqualTo("running");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("send").contains("scheduled");
        browser.findElement(By.id("expire")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-status"), "expired"));
        assertThat(browser.findElement(By.id("flash")).getText()).contains("Expired");

        await().atMost(REMINDER_DELAY.plus(WAIT)).until(() -> engine.ops.scheduler().get(control).status() == OperationStatus.COMPLETED);
        AttemptView attempt = engine.ops.scheduler().attempts(expired).get(0);
        // the expired step's own JobRunr job came due and ran, and did nothing
        await().atMost(WAIT).until(() -> engine.storage.getJobById(JobRunrDispatcher.jobId(attempt.id(), 1)).hasState(StateName.SUCCEEDED));
        assertThat(journal.entries()).containsExactly("send control@example.com");
        assertThat(engine.ops.scheduler().get(expired).status()).isEqualTo(OperationStatus.EXPIRED);
        assertThat(engine.ops.scheduler().attempts(expired)).singleElement()
                .satisfies(a -> assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED));
        browser.navigate().refresh();
        assertThat(browser.findElement(By.id("audit")).getText()).contains("ann").contains("expire");
    }

    @Test
    void aGlobalHoldingAScriptTagShowsAsTextAndNeverRuns() {
        String evil = "<script>alert(1)</script>";
        OperationId id = engine.ops.scheduler().enqueue("reminder", Map.of("to", evil), EnqueueOptions.idempotencyKey(evil));

        signIn();
        browser.get(ui.url() + "?q=" + java.net.URLEncoder.encode(evil, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(browser.findElement(By.id("operations")).getText()).contains("key " + evil);
        assertThat(browser.findElement(By.id("f-q")).getAttribute("value")).isEqualTo(evil);
        browser.findElement(By.cssSelector("#operations a.op-link")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-id"), id.toString()));
        assertThat(browser.findElement(By.id("globals")).getText()).contains("\"to\" : \"" + evil + "\"");
        assertThat(browser.findElements(By.tagName("script"))).as("no script element but the UI's own made it into the page")
                .singleElement().satisfies(script -> assertThat(script.getAttribute("src")).endsWith("/assets/admin.js"));
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    // ---- issue 21: live pages, isolated text, long values, the phone ---------------------------------------------

    Object js(String script, Object... args) {
        return browser.executeScript(script, args);
    }

    @Test
    void aRetriedOperationIsSeenCompletingWithoutAReloadAndTheListFollows() {
        ui.close();
        ui = AdminUi.builder(engine.ops).users(PasswordUsers.builder()
                .operator("ann", PasswordHash.hash("ann-secret".toCharArray())).build()).autoRefresh(Duration.ofSeconds(1)).port(0).start();
        OperationId id = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 7));
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(id).status() == OperationStatus.FAILED);

        signIn();
        browser.get(ui.url() + "operations/" + id);
        providerDown.set(false);
        hold = new CountDownLatch(1);
        browser.findElement(By.id("retry")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("flash"), "Retried"));
        assertThat(statusOnPage()).as("the retried step is held").isEqualTo("running");
        js("window.durableOpsMarker = 'the same page';");
        hold.countDown();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBe(By.id("op-status"), "completed"));
        assertThat(js("return window.durableOpsMarker;")).as("no reload happened").isEqualTo("the same page");
        assertThat(browser.findElement(By.id("timeline")).getText()).contains("send-receipt", "fulfilled");
        assertThat(browser.findElement(By.id("flash")).getText()).as("the message stays").contains("Retried");
        assertThat(browser.findElement(By.id("live-status")).getText()).contains("Updated at");

        browser.get(ui.url());
        js("window.durableOpsMarker = 'the list';");
        OperationId later = engine.ops.scheduler().enqueue("reminder", Map.of("to", "later@example.com"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.textToBePresentInElementLocated(By.id("operations"), later.toString()));
        assertThat(js("return window.durableOpsMarker;")).isEqualTo("the list");
        browser.findElement(By.id("f-definition")).sendKeys("remin");
        js("window.durableOpsMarker = 'typing';");
        new WebDriverWait(browser, WAIT).until(d -> browser.findElement(By.id("live-status")).getText().contains("Updated at"));
        assertThat(browser.findElement(By.id("f-definition")).getAttribute("value")).as("what the operator types is kept").isEqualTo("remin");
    }

    @Test
    void aBidiOverrideInAValueIsShownAsAMarkAndTheValueIsIsolated() {
        String spoof = "invoice\u202Etxt.exe";
        engine.ops.scheduler().enqueue("reminder", Map.of("to", "x@example.com"), EnqueueOptions.idempotencyKey(spoof));
        signIn();
        browser.get(ui.url());
        WebElement key = browser.findElement(By.cssSelector("#operations small.key"));
        WebElement value = key.findElement(By.tagName("bdi"));
        assertThat(value.getText()).isEqualTo("invoice[U+202E]txt.exe");
        assertThat(value.findElement(By.cssSelector("span.ctl")).getText()).isEqualTo("[U+202E]");
        // the letters after the mark read left to right: "txt.exe" is drawn as it is, never as "exe.txt"
        @SuppressWarnings("unchecked")
        List<Number> xs = (List<Number>) js("""
                const bdi = arguments[0];
                const text = bdi.lastChild;            // the text node "txt.exe"
                const at = i => { const r = document.createRange(); r.setStart(text, i); r.setEnd(text, i + 1);
                                  return r.getBoundingClientRect().left; };
                return [at(0), at(6), bdi.getBoundingClientRect().left, arguments[1].getBoundingClientRect().left];""", value, key);
        assertThat(xs.get(0).doubleValue()).as("'t' left of the final 'e'").isLessThan(xs.get(1).doubleValue());
        assertThat(xs.get(3).doubleValue()).as("the value stays after its label 'key'").isLessThan(xs.get(2).doubleValue());
        assertThat(browser.getPageSource()).doesNotContain("\u202E");
    }

    @Test
    void aHundredKilobyteErrorMakesNoSidewaysPageAndThePhoneShowsResultsBeforeTheFilters() {
        OperationId id = engine.ops.scheduler().enqueue("noisy", Map.of());
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(id).status() == OperationStatus.FAILED);
        signIn();
        for (int width : List.of(1280, 390)) {
            browser.manage().window().setSize(new org.openqa.selenium.Dimension(width, 900));
            browser.get(ui.url());
            assertThat(sideways()).as("list at " + width).isLessThanOrEqualTo(0L);
            double filters = browser.findElement(By.id("filters")).getRect().getY();
            double results = browser.findElement(By.id("operations")).getRect().getY();
            if (width < 700) assertThat(results).as("phone: results first").isLessThan(filters);
            else assertThat(filters).as("desktop: filters first").isLessThan(results);

            browser.get(ui.url() + "operations/" + id);
            browser.findElement(By.cssSelector("details.error summary")).click();
            new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("pre.stack")));
            assertThat(sideways()).as("operation page at " + width).isLessThanOrEqualTo(0L);
            assertThat(browser.findElement(By.cssSelector("details.error summary")).getText()).contains("more characters)");
        }
    }

    @Test
    void theOperationPageDrawsTheStepGraphWithThePathTakenAndTheTimelineBars() {
        OperationId failed = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 7));
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(failed).status() == OperationStatus.FAILED);
        providerDown.set(false);
        OperationId done = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 8));
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(done).status() == OperationStatus.COMPLETED);

        signIn();
        browser.get(ui.url() + "operations/" + done);
        WebElement graph = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("op-graph")));
        List<WebElement> nodes = graph.findElements(By.cssSelector("g.node"));
        assertThat(nodes).extracting(n -> n.getAttribute("data-step") + "=" + n.getAttribute("data-state"))
                .containsExactly("charge-card=visited", "send-receipt=visited", "fulfilled=visited");
        assertThat(graph.findElements(By.cssSelector("g.edge.taken path"))).hasSize(2);
        // why the colour: it proves the stylesheet reached the SVG under the page's Content-Security-Policy
        assertThat(js("return getComputedStyle(document.querySelector('#op-graph g.node.n-visited rect')).fill;")).isEqualTo("rgb(230, 244, 234)");
        assertThat(js("return getComputedStyle(document.querySelector('#op-graph g.edge.taken path')).strokeWidth;")).isEqualTo("2.6px");
        WebElement chart = browser.findElement(By.id("timeline-chart"));
        assertThat(chart.findElements(By.cssSelector("g.lane"))).hasSize(3);
        List<WebElement> bars = chart.findElements(By.cssSelector("rect.bar.run.s-succeeded"));
        assertThat(bars).hasSize(3);
        assertThat(bars).allSatisfy(b -> assertThat(b.getRect().getWidth()).isPositive());

        browser.get(ui.url() + "operations/" + failed);
        WebElement failedGraph = new WebDriverWait(browser, WAIT).until(ExpectedConditions.visibilityOfElementLocated(By.id("op-graph")));
        assertThat(failedGraph.findElement(By.cssSelector("g.node.n-failed")).getAttribute("data-step")).isEqualTo("charge-card");
        assertThat(js("return getComputedStyle(document.querySelector('#op-graph g.node.n-failed rect')).stroke;")).isEqualTo("rgb(180, 35, 24)");
        assertThat(browser.findElement(By.id("timeline-chart")).findElements(By.cssSelector("rect.bar.run.s-failed"))).hasSize(1);
        assertThat(browser.findElement(By.id("timeline-chart")).findElements(By.cssSelector(".fail-mark"))).hasSize(1);
    }

    @Test
    void theListGroupsFailuresAndAGroupsLinkShowsItsOperationsWithTheirLastError() {
        OperationId first = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 1));
        OperationId second = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 2));
        OperationId noisy = engine.ops.scheduler().enqueue("noisy", Map.of());
        await().atMost(WAIT).until(() -> List.of(first, second, noisy).stream()
                .allMatch(id -> engine.ops.scheduler().get(id).status() == OperationStatus.FAILED));

        signIn();
        List<WebElement> groups = browser.findElements(By.cssSelector("#failures tr.group"));
        assertThat(groups).hasSize(2);
        assertThat(groups.get(0).getText()).contains("subscription-fulfillment", "charge-card", "java.lang.IllegalStateException", "2");
        assertThat(groups.get(1).getText()).contains("noisy", "explode", "1");
        groups.get(0).findElement(By.className("group-link")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains("error=java.lang.IllegalStateException"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#operations tbody tr"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).findElement(By.cssSelector("details.row-error summary")).getText())
                .isEqualTo("IllegalStateException: payment provider unavailable (HTTP 503)");
        assertThat(browser.findElement(By.id("f-error")).getAttribute("value")).isEqualTo("java.lang.IllegalStateException");
    }

    @Test
    void anOperatorSearchesTheErrorMessagesAndSeesTheMatchAndHowFarTheSearchRead() {
        OperationId payment = engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 1));
        OperationId noisy = engine.ops.scheduler().enqueue("noisy", Map.of());
        await().atMost(WAIT).until(() -> List.of(payment, noisy).stream()
                .allMatch(id -> engine.ops.scheduler().get(id).status() == OperationStatus.FAILED));

        signIn();
        browser.findElement(By.id("f-message")).sendKeys("PROVIDER*503");
        browser.findElement(By.id("apply")).click();
        new WebDriverWait(browser, WAIT).until(d -> d.getCurrentUrl().contains("message=PROVIDER"));
        List<WebElement> rows = browser.findElements(By.cssSelector("#operations tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText()).contains("subscription-fulfillment").doesNotContain("noisy");
        assertThat(rows.get(0).getText()).contains(payment.toString());
        assertThat(browser.findElement(By.id("message-scan")).getText())
                .startsWith("Searched the last error of 2 operation(s)").contains("1 match on this page").contains("Nothing more to search");
        assertThat(browser.findElement(By.id("f-message")).getAttribute("value")).isEqualTo("PROVIDER*503");
        assertThat(browser.findElements(By.id("continue-search"))).isEmpty();
    }

    @Test
    void anOperatorSelectsRowsConfirmsABulkCancelAndSeesThemCancelled() {
        providerDown.set(false);
        hold = new CountDownLatch(1);
        List<OperationId> ids = List.of(
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 1)),
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 2)),
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 3)));
        signIn();
        browser.findElement(By.cssSelector("input.row-select[value='" + ids.get(0) + "']")).click();
        browser.findElement(By.cssSelector("input.row-select[value='" + ids.get(2) + "']")).click();
        browser.findElement(By.id("selected-cancel")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-count")));
        assertThat(browser.findElement(By.id("confirm-count")).getText()).contains("2 operation(s) will be cancelled", "one of 2 selected");
        browser.findElement(By.id("confirm")).click();
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("run-state")).getText().equals("done"));
        assertThat(browser.findElement(By.id("run-outcome")).getText()).isEqualTo("Cancelled 2 operation(s).");
        browser.findElement(By.id("run-show")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("operations")));
        List<WebElement> rows = browser.findElements(By.cssSelector("#operations tbody tr"));
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row.findElement(By.className("badge")).getText()).isEqualTo("cancelled"));
        hold.countDown();
        await().atMost(WAIT).until(() -> engine.ops.scheduler().get(ids.get(1)).status() == OperationStatus.COMPLETED);
        assertThat(engine.ops.scheduler().get(ids.get(0)).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(engine.ops.scheduler().get(ids.get(2)).status()).isEqualTo(OperationStatus.CANCELLED);
        assertThat(engine.ops.admin().audit(ids.get(0))).extracting(e -> e.actor() + " " + e.action()).containsExactly("ann cancel");
    }

    @Test
    void aBulkRetryReachesItsProgressPageAndItsLinkListsTheOperationsItRetried() {
        List<OperationId> ids = List.of(
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 1)),
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 2)),
                engine.ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 3)));
        OperationId other = engine.ops.scheduler().enqueue("reminder", Map.of("to", "ada@example.com"));
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> engine.ops.scheduler().get(id).status() == OperationStatus.FAILED));
        providerDown.set(false);

        signIn();
        browser.get(ui.url() + "?status=FAILED");
        clickThroughRefreshes(By.id("bulk-retry"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.presenceOfElementLocated(By.id("confirm-count")));
        assertThat(browser.findElement(By.id("confirm-count")).getText()).contains("3 operation(s) will be retried");
        browser.findElement(By.id("confirm")).click();
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("/bulk/runs/"));
        new WebDriverWait(browser, WAIT).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("run-state")).getText().equals("done"));
        assertThat(browser.findElement(By.id("run-outcome")).getText()).isEqualTo("Retried 3 operation(s).");
        assertThat(browser.findElement(By.id("run-filter")).getText()).isEqualTo("status in [FAILED]");
        assertThat(browser.findElement(By.id("run-eligible")).getText()).isEqualTo("3");

        clickThroughRefreshes(By.id("run-show"));
        new WebDriverWait(browser, WAIT).until(ExpectedConditions.urlContains("bulkRun="));
        await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> engine.ops.scheduler().get(id).status() == OperationStatus.COMPLETED));
        browser.navigate().refresh();
        List<WebElement> rows = browser.findElements(By.cssSelector("#operations tbody tr"));
        assertThat(rows).hasSize(3).allSatisfy(row -> assertThat(row.findElement(By.className("badge")).getText()).isEqualTo("completed"));
        assertThat(browser.findElement(By.id("operations")).getText()).contains(ids.get(0).toString(), ids.get(2).toString())
                .doesNotContain(other.toString());
        assertThat(browser.findElement(By.id("bulk-run-filter")).getText()).contains("changed, in their status now");
    }

    /** How many pixels the page is wider than the window (0 or less: no sideways scrolling). */
    long sideways() {
        return ((Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")).longValue();
    }
}
