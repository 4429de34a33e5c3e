package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.OperationDefinition;
import io.durableops.core.test.AdminTestBase;
import java.util.List;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.MutableClock;
import io.javalin.Javalin;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import static io.durableops.core.test.Definitions.define;
import static io.durableops.core.test.Definitions.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the HTTP suites share: a runtime on a real database with a thread-free dispatcher and a settable clock, its
 * definitions, users, and the UI mounted under {@code /ops} of a host application on a free port.
 */
abstract class AdminFixture extends AdminTestBase {
    static final String B = "/ops";
    static final PasswordUsers USERS = PasswordUsers.builder()
            .operator("ann", PasswordHash.hash("ann-secret".toCharArray()))
            .readOnly("bob", PasswordHash.hash("bob-secret".toCharArray()))
            .build();
    static final ObjectMapper JSON = new ObjectMapper();
    /** A 100 KB error message without a single space. */
    static final String NOISE = "E".repeat(100_000);

    AdminFixture() {
        super(MutableClock.startingNow());
    }

    @Override
    protected List<OperationDefinition> definitions() {
        return List.of(define("billing", f -> f
                                .action("prepare", record(journal, "prepare"))
                                .action("charge-card", charge("payment provider unavailable (HTTP 503)"), StepOptions.retry(RetryPolicy.none()))
                                .result("done")),
                        define("shipping", f -> f
                                .action("pack", record(journal, "pack"), StepOptions.delay(Duration.ofHours(1)))
                                .result("shipped")),
                        define("approval", f -> f
                                .awaitSignal("approved?", "approved", io.durableops.core.WaitOptions.defaults())
                                .result("approved", (ctx, results) -> results.put("by", ctx.get("approved", Map.class).get("by")))),
                        define("statement", f -> f.limit(io.durableops.core.Limit.perKey("account", 1))
                                .awaitSignal("sent?", "sent", io.durableops.core.WaitOptions.defaults())
                                .result("done")),
                        define("family", f -> f
                                .action("spawn", ctx -> {
                                    int n = ctx.get("children", Integer.class);
                                    for (int i = 0; i < n; i++) ctx.startChild("shipping", Map.of("parcel", "c-" + i));
                                })
                                .awaitChildren("children?", io.durableops.core.WaitOptions.defaults())
                                .result("done")),
                        define("stages", f -> f
                                .action("stage", ctx -> ctx.stage(new io.durableops.core.StagedWork(java.util.UUID.randomUUID(), "mail", "{}")))
                                .result("done")),
                        define("noisy", f -> f
                                .action("explode", ctx -> {
                                    throw new IllegalStateException(NOISE);
                                }, StepOptions.retry(RetryPolicy.none()))
                                .result("never")));
    }

    /** The UI mounted under {@link #B} of a host application on a free port, for the length of {@code test}. */
    void serve(AdminUi.Builder builder, Consumer<WebClient> test) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.routes.get("/", ctx -> ctx.result("the host application"));
            builder.mount(config, B);
        });
        app.start("127.0.0.1", 0);
        try {
            test.accept(new WebClient("http://127.0.0.1:" + app.port()));
        } finally {
            app.stop();
        }
    }

    void serve(Consumer<WebClient> test) {
        serve(AdminUi.builder(ops).users(USERS).clock(clock), test);
    }

    /**
     * Follows a bulk action's redirect to its run's page and waits (Awaitility, no sleep) until the run has ended;
     * that page.
     */
    String runEnded(WebClient web, HttpResponse<String> started) {
        return runEnded(web, runPage(started));
    }

    /** Where a bulk action's answer sends the browser: its run's page. */
    static String runPage(HttpResponse<String> started) {
        assertThat(started.statusCode()).as(started.body()).isEqualTo(303);
        String location = started.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(B + "/bulk/runs/");
        return location;
    }

    /** The run's page once the run has ended (Awaitility, no sleep). */
    String runEnded(WebClient web, String location) {
        java.util.concurrent.atomic.AtomicReference<String> page = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            page.set(web.get(location).body());
            return !page.get().contains("data-state=\"running\"");
        });
        return page.get();
    }

    /** The run id in a run page's link to the operations it changed. */
    static String runIdOf(String runPage) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("bulkRun=([0-9a-f-]{36})").matcher(runPage);
        assertThat(m.find()).as("a link to the run's operations").isTrue();
        return m.group(1);
    }

    OperationId failedBilling(Map<String, ?> input) {
        OperationId id = ops.scheduler().enqueue("billing", input);
        dispatcher.runDue();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        return id;
    }

    /** A family operation waiting for its {@code n} children, each a delayed shipping operation. */
    OperationId family(int n) {
        OperationId id = ops.scheduler().enqueue("family", Map.of("children", n));
        dispatcher.runDue();
        return id;
    }

    /**
     * A completed operation whose staged item the relay set aside: its payload was tampered with before the relay
     * could hand it over, so it cannot be decrypted.
     */
    OperationId setAsideStagedWork() {
        OperationId id = ops.scheduler().enqueue("stages", Map.of());
        dispatcher.failDispatches(true); // the staged item stays for the relay
        dispatcher.runDue();
        try (java.sql.Connection c = db.dataSource().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement("UPDATE durable_staged_work SET payload = ? WHERE operation_id = ?")) {
            ps.setBytes(1, "k1:tampered-bytes-that-do-not-authenticate".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            ps.setString(2, id.toString());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
        dispatcher.failDispatches(false);
        clock.advance(Duration.ofSeconds(10)); // past the dispatch grace
        ops.relayNow();
        dispatcher.runDue();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        return id;
    }

    OperationId delayedShipping() {
        return ops.scheduler().enqueue("shipping", Map.of("parcel", "p-1"));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    static String csrf(WebClient web) {
        return json(web.get(B + "/api/session")).get("csrfToken").asText();
    }

    static WebClient signedIn(WebClient web, String user) {
        HttpResponse<String> r = web.login(B, user, user + "-secret");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(303);
        return web;
    }
}
