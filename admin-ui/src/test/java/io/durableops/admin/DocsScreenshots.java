package io.durableops.admin;

import io.durableops.jobrunr.JobRunrHarness;

import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.durableops.core.test.Definitions.define;
import static org.awaitility.Awaitility.await;

/**
 * Takes the screenshots of docs/admin-ui.md from real pages with realistic data. Not part of the test run (its name
 * matches no Surefire pattern); run it with {@code mvn -pl admin-ui test -Dtest=DocsScreenshots}.
 */
class DocsScreenshots {
    @Test
    void takeScreenshots() throws Exception {
        Path images = Path.of(System.getProperty("screenshots.dir", "../docs/images"));
        Files.createDirectories(images);
        AtomicBoolean providerDown = new AtomicBoolean(false);
        try (TestDatabase db = TestDatabase.h2();
             JobRunrHarness engine = new JobRunrHarness(db.dataSource(), Duration.ofSeconds(30),
                     define("subscription-fulfillment", f -> f
                             .requires("subscriptionId", "plan")
                             .action("charge-card", ctx -> {
                                 if (providerDown.get()) {
                                     throw new IllegalStateException("payment provider unavailable (HTTP 503) for subscription "
                                             + ctx.get("subscriptionId", Long.class));
                                 }
                                 ctx.set("chargeId", "ch_" + ctx.get("subscriptionId", Long.class));
                             }, StepOptions.retry(RetryPolicy.none()))
                             .decision("which-plan", ctx -> ctx.get("plan", String.class).equals("red"), "setup-red", "setup-blue")
                             .branch("red").action("setup-red", ctx -> ctx.set("features", "red: unlimited projects"), StepOptions.then("send-receipt"))
                             .branch("blue").action("setup-blue", ctx -> ctx.set("features", "blue: five projects"), StepOptions.then("send-receipt"))
                             .branch(io.durableops.core.Flow.MAIN)
                             .action("send-receipt", ctx -> ctx.set("receiptSentTo", ctx.get("email", String.class)))
                             .result("fulfilled", (ctx, results) -> results.put("chargeId", ctx.get("chargeId", String.class)))),
                     define("refund", f -> f
                             .action("reverse-charge", ctx -> { })
                             .action("notify-customer", ctx -> { }, StepOptions.delay(Duration.ofHours(2)))
                             .result("refunded")),
                     define("payout", f -> f
                             .action("send-transfer", ctx -> {
                                 throw new java.io.UncheckedIOException(new java.net.SocketTimeoutException("bank gateway: read timed out"));
                             }, StepOptions.retry(RetryPolicy.none()))
                             .result("paid")))) {
            var scheduler = engine.ops.scheduler();
            for (int i = 0; i < 12; i++) {
                scheduler.enqueue("subscription-fulfillment", Map.of("subscriptionId", 4100 + i, "plan", i % 2 == 0 ? "red" : "blue",
                        "email", "customer" + i + "@example.com"), EnqueueOptions.idempotencyKey("subscription-" + (4100 + i)));
            }
            for (int i = 0; i < 4; i++) scheduler.enqueue("refund", Map.of("orderId", "ord-" + (880 + i)));
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.ops.admin().count(OperationQuery.builder()
                    .statuses(OperationStatus.COMPLETED).build()) == 12);
            providerDown.set(true);
            OperationId shown = null;
            for (int i = 0; i < 6; i++) {
                OperationId id = scheduler.enqueue("subscription-fulfillment", Map.of("subscriptionId", 4200 + i, "plan", "red",
                        "email", "late" + i + "@example.com"), EnqueueOptions.idempotencyKey("subscription-" + (4200 + i)));
                if (shown == null) shown = id;
            }
            for (int i = 0; i < 3; i++) scheduler.enqueue("payout", Map.of("payoutId", "po-" + (310 + i)));
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.ops.admin().count(OperationQuery.builder()
                    .statuses(OperationStatus.FAILED).build()) == 9);
            engine.ops.admin().as("ann").cancel(engine.ops.admin().list(OperationQuery.builder().definition("refund").build()).items().get(0).id());

            try (AdminUi ui = AdminUi.builder(engine.ops).users(PasswordUsers.builder()
                    .operator("ann", PasswordHash.hash("ann-secret".toCharArray())).build()).port(0).start()) {
                ChromeDriver browser = Chromium.start(1280, 1000);
                try {
                    signIn(browser, ui);
                    browser.get(ui.url());
                    save(browser, images.resolve("operations-list.png"));
                    browser.get(ui.url() + "?status=FAILED&definition=subscription-fulfillment&step=charge-card");
                    save(browser, images.resolve("operations-failed-filter.png"));
                    browser.get(ui.url() + "?status=FAILED");
                    save(browser, images.resolve("failures-grouped.png"));
                    browser.get(ui.url() + "operations/" + shown);
                    browser.findElement(By.cssSelector("details.error summary")).click();
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1500));
                    save(browser, images.resolve("operation-page.png"));
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1000));
                    browser.get(ui.url() + "bulk/retry?status=FAILED&definition=subscription-fulfillment&step=charge-card");
                    save(browser, images.resolve("bulk-confirm.png"));
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 1200));
                    browser.get(ui.url() + "?status=FAILED");
                    save(browser, images.resolve("operations-phone.png"));
                } finally {
                    browser.quit();
                }
            }
        }
    }

    /**
     * The operation page's graph and timeline (an order that waited for its payment, retried its charge twice and
     * completed, beside one that failed) and the definitions page. Run alone with
     * {@code mvn -pl admin-ui test -Dtest=DocsScreenshots#takeGraphScreenshots}.
     */
    @Test
    void takeGraphScreenshots() throws Exception {
        Path images = Path.of(System.getProperty("screenshots.dir", "../docs/images"));
        Files.createDirectories(images);
        java.util.concurrent.atomic.AtomicInteger charges = new java.util.concurrent.atomic.AtomicInteger();
        AtomicBoolean providerDown = new AtomicBoolean(false);
        try (TestDatabase db = TestDatabase.h2();
             JobRunrHarness engine = new JobRunrHarness(db.dataSource(), Duration.ofSeconds(30),
                     io.durableops.core.OperationDefinition.of("order-fulfillment", 2, f -> f
                             .action("reserve-stock", ctx -> { })
                             .decision("needs-payment?", ctx -> !ctx.get("prepaid", Boolean.class), "await-payment", "charge-card")
                             .awaitSignal("await-payment", "payment-authorized",
                                     io.durableops.core.WaitOptions.timeout(Duration.ofHours(1)).onTimeout("cancel-order"))
                             .action("charge-card", ctx -> {
                                 if (providerDown.get() || charges.incrementAndGet() % 3 != 0) {
                                     throw new IllegalStateException("payment provider unavailable (HTTP 503)");
                                 }
                             }, StepOptions.retry(RetryPolicy.fixed(3, Duration.ofSeconds(2))))
                             .action("ship", ctx -> { })
                             .result("shipped")
                             .branch("cancellations")
                             .failure("cancel-order", "no payment within an hour")))) {
            var scheduler = engine.ops.scheduler();
            OperationId shown = scheduler.enqueue("order-fulfillment", Map.of("prepaid", false));
            List<OperationId> waiting = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) waiting.add(scheduler.enqueue("order-fulfillment", Map.of("prepaid", false)));
            await().atMost(Duration.ofSeconds(30)).until(() -> "await-payment".equals(scheduler.get(shown).currentStep()));
            await().pollDelay(Duration.ofMillis(1500)).until(() -> true); // the wait, long enough to be seen on the timeline
            scheduler.signal(shown, "payment-authorized", Map.of("by", "card"));
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.get(shown).status() == OperationStatus.COMPLETED);
            providerDown.set(true);
            OperationId failed = scheduler.enqueue("order-fulfillment", Map.of("prepaid", true));
            await().atMost(Duration.ofSeconds(30)).until(() -> scheduler.get(failed).status() == OperationStatus.FAILED);

            try (AdminUi ui = AdminUi.builder(engine.ops).users(PasswordUsers.builder()
                    .operator("ann", PasswordHash.hash("ann-secret".toCharArray())).build())
                    .jobRunrDashboard("http://localhost:8000").port(0).start()) {
                ChromeDriver browser = Chromium.start(1280, 1000);
                try {
                    signIn(browser, ui);
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 1750));
                    browser.get(ui.url() + "operations/" + shown);
                    save(browser, images.resolve("operation-graph-timeline.png"));
                    browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
                    browser.get(ui.url() + "definitions");
                    save(browser, images.resolve("definitions.png"));
                } finally {
                    browser.quit();
                }
            }
        }
    }

    private static void signIn(ChromeDriver browser, AdminUi ui) {
        browser.get(ui.url());
        browser.findElement(By.id("username")).sendKeys("ann");
        browser.findElement(By.id("password")).sendKeys("ann-secret");
        browser.findElement(By.id("sign-in")).click();
    }

    private static void save(ChromeDriver browser, Path file) throws Exception {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, file, StandardCopyOption.REPLACE_EXISTING);
        List.of(file).forEach(f -> System.out.println("saved " + f.toAbsolutePath()));
    }
}
