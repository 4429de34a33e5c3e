package io.durableops.samples.docs;

import com.fasterxml.jackson.core.type.TypeReference;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.Encryptor;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationStatus;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;
import io.durableops.core.testing.TestEngine;
import io.durableops.jobrunr.JobRunrStaging;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code of docs/flow-control.md, docs/exactly-once.md and docs/encryption.md, compiled and run by the build;
 * DocsSnippetsTest keeps the docs equal to the tagged regions.
 */
class GuideExamplesTest {
    /** Stands for the application's user directory. */
    static final class Users {
        final Set<Long> verified = ConcurrentHashMap.newKeySet();

        boolean isVerified(long userId) {
            return verified.contains(userId);
        }
    }

    /** Stands for the HTTP request of the verification link. */
    record Request(String ip) {
    }

    /** A payment provider that deduplicates by idempotency key. */
    static final class Payments {
        final Map<String, String> charges = new ConcurrentHashMap<>();

        String charge(long amount, String idempotencyKey) {
            return charges.computeIfAbsent(idempotencyKey, k -> "ch_" + amount + "_" + charges.size());
        }
    }

    /** A mailer that JobRunr can run as a staged job. */
    public static final class Mailer {
        public void sendReceipt(String rideId) {
        }
    }

    static OperationDefinition define(String name, java.util.function.Consumer<Flow> steps) {
        return OperationDefinition.of(name, steps);
    }

    @Test
    void waitsSignalsAndSearchAttributes() {
        Users users = new Users();
        OperationDefinition registration = define("registration", flow -> flow
                // tag::search-attributes[]
                .searchAttributes("userId", "email")
                // end::search-attributes[]
                .action("create", ctx -> { })
                // tag::wait-until[]
                .waitUntil("verified?", ctx -> users.isVerified(ctx.get("userId", Long.class)),
                        WaitOptions.timeout(Duration.ofHours(24)).every(Duration.ofMinutes(5)).onTimeout("send-reminder"))
                // end::wait-until[]
                // tag::await-signal[]
                .awaitSignal("link-clicked?", "email-verified", WaitOptions.timeout(Duration.ofDays(1)).onTimeout("remind").storeAs("verification"))
                // end::await-signal[]
                .result("done")
                .action("send-reminder", ctx -> ctx.set("reminded", true), StepOptions.then("done"))
                .action("remind", ctx -> ctx.set("reminded", true), StepOptions.then("done")));
        try (TestEngine engine = TestEngine.of(registration)) {
            OperationScheduler scheduler = engine.scheduler();
            OperationId operationId = scheduler.enqueue("registration", Map.of("userId", 7L, "email", "ada@example.com"));
            engine.runDue();
            users.verified.add(7L);
            engine.advance(Duration.ofMinutes(5));
            assertThat(scheduler.get(operationId).currentStep()).isEqualTo("link-clicked?");
            Request request = new Request("203.0.113.9");
            // tag::signal[]
            scheduler.signal(operationId, "email-verified", Map.of("ip", request.ip()));
            // end::signal[]
            engine.runDue();
            assertThat(scheduler.get(operationId).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(scheduler.get(operationId).globals().get("verification", Map.class)).containsEntry("ip", "203.0.113.9");
            // tag::find[]
            List<OperationId> ops = scheduler.findBySearchAttribute("registration", "email", "ada@example.com");
            // end::find[]
            assertThat(ops).containsExactly(operationId);
        }
    }

    /** A provider whose job is ready on the third look. */
    static final class Provider {
        int looks;

        boolean isReady(String jobId) {
            return ++looks >= 3;
        }
    }

    @Test
    void aPollingLoopOfDecisionAndDelay() {
        Provider provider = new Provider();
        OperationDefinition polling = define("polling", flow ->
                // tag::poll-loop[]
                flow.action("poll", ctx -> ctx.set("ready", provider.isReady(ctx.get("jobId", String.class))))
                    .decision("ready?", ctx -> ctx.get("ready", Boolean.class), "done", "poll", StepOptions.delay(Duration.ofSeconds(30)))
                    .result("done")
                // end::poll-loop[]
        );
        try (TestEngine engine = TestEngine.of(polling)) {
            OperationId id = engine.scheduler().enqueue("polling", Map.of("jobId", "j-1"));
            engine.runUntilIdle();
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.scheduler().attempts(id)).hasSize(7);
            assertThat(engine.clock().instant()).isEqualTo("2026-01-01T00:01:30Z");
        }
    }

    @Test
    void childrenFanOutFanInAndCall() {
        OperationDefinition render = define("render-document", flow -> flow.requires("document")
                .action("render", ctx -> ctx.set("pages", ctx.get("document", String.class).length()))
                .result("done", (ctx, results) -> results.put("pages", ctx.get("pages", Integer.class))));
        OperationDefinition quote = define("quote", flow -> flow.requires("sku").result("done", (ctx, results) -> results.put("price", 42)));
        OperationDefinition report = define("report", flow -> flow
                // tag::fan-out[]
                .action("start-renderers", ctx -> {
                    for (String document : ctx.get("documents", new TypeReference<List<String>>() { })) {
                        ctx.startChild("render-document", Map.of("document", document));
                    }
                })
                .awaitChildren("all-rendered?", WaitOptions.timeout(Duration.ofMinutes(30)).onChildFailure("report-failures"))
                // end::fan-out[]
                // tag::call[]
                .call("price-quote", "quote", ctx -> Map.of("sku", ctx.get("sku", String.class)), WaitOptions.timeout(Duration.ofMinutes(5)))
                // end::call[]
                .result("done", (ctx, results) -> results.put("price", ctx.get("price-quote", Map.class).get("price")))
                .failure("report-failures", "a document could not be rendered"));
        try (TestEngine engine = TestEngine.of(render, quote, report)) {
            OperationId id = engine.scheduler().enqueue("report", Map.of("documents", List.of("a", "bb"), "sku", "X-1"));
            engine.runUntilIdle();
            assertThat(engine.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.scheduler().get(id).results().get("price", Integer.class)).isEqualTo(42);
            assertThat(engine.scheduler().get(id).globals().get("children", List.class)).as("the two renderers").hasSize(2);
        }
    }

    @Test
    void exactlyOnceBoundaries() throws SQLException {
        Payments payments = new Payments();
        Mailer mailer = new Mailer();
        String rideId = "ride-1";
        long riderId = 7;
        OperationDefinition ride = define("ride-create", flow -> flow
                // tag::transactional-step[]
                .action("create-ride-and-audit", ctx -> {
                    try (PreparedStatement ps = ctx.connection().prepareStatement("INSERT INTO rides (id, rider) VALUES (?, ?)")) {
                        ps.setString(1, ctx.get("rideId", String.class));
                        ps.setLong(2, ctx.get("riderId", Long.class));
                        ps.executeUpdate();
                    }
                }, StepOptions.transactional())
                // end::transactional-step[]
                // tag::idempotency-key[]
                .action("charge-card", ctx -> ctx.set("chargeId",
                        payments.charge(ctx.get("amount", Long.class), ctx.idempotencyKey())))   // Stripe-style Idempotency-Key
                // end::idempotency-key[]
                // tag::staged[]
                .action("send-receipt", ctx -> {
                    JobRunrStaging.stage(ctx, () -> mailer.sendReceipt(rideId));       // a JobRunr job
                    ctx.enqueueAfterCommit("loyalty-points", Map.of("riderId", riderId)); // another operation
                })
                // end::staged[]
                .result("done"));
        OperationDefinition loyalty = define("loyalty-points", flow -> flow.requires("riderId").result("done"));
        OperationDefinition fulfillment = define("order-fulfillment", flow -> flow.requires("orderNumber").result("done"));
        try (TestEngine engine = TestEngine.of(ride, loyalty, fulfillment)) {
            DataSource dataSource = engine.dataSource();
            try (Connection c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("CREATE TABLE rides (id VARCHAR(36) PRIMARY KEY, rider BIGINT)");
                s.execute("CREATE TABLE orders (number BIGINT PRIMARY KEY)");
            }
            OperationScheduler scheduler = engine.scheduler();
            String requestId = "abc";
            // tag::enqueue-key[]
            OperationId id = scheduler.enqueue("ride-create", Map.of("rideId", "ride-1", "riderId", 7, "amount", 2000),
                    EnqueueOptions.idempotencyKey("ride-request-" + requestId));
            // end::enqueue-key[]
            Order order = new Order(1);
            // tag::outbox[]
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                insertOrder(c, order);
                scheduler.enqueue(c, "order-fulfillment", Map.of("orderNumber", order.number()));
                c.commit();               // the operation exists from here on, and only if this commit happens
            }
            // end::outbox[]
            engine.runUntilIdle();
            assertThat(scheduler.get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(engine.dispatcher().staged()).singleElement().satisfies(w -> assertThat(w.kind()).isEqualTo(JobRunrStaging.KIND));
            assertThat(payments.charges).hasSize(1);
        }
    }

    record Order(long number) {
    }

    static void insertOrder(Connection c, Order order) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO orders (number) VALUES (?)")) {
            ps.setLong(1, order.number());
            ps.executeUpdate();
        }
    }

    /** Compiled, not run: the keys come from the environment of a real deployment. */
    @SuppressWarnings("unused")
    static Encryptor[] encryptionSnippets() {
        // tag::aes[]
        Encryptor encryptor = AesGcmEncryptor.of("2026-11", System.getenv("DURABLE_OPS_KEY"));   // 32 bytes, base64
        // end::aes[]
        // tag::rotation[]
        Encryptor rotated = AesGcmEncryptor.builder()
                .primaryKey("2026-11", System.getenv("DURABLE_OPS_KEY_2026_11"))   // encrypts everything new
                .oldKey("2026-05", System.getenv("DURABLE_OPS_KEY_2026_05"))       // still decrypts what it wrote
                .build();
        // end::rotation[]
        return new Encryptor[] {encryptor, rotated};
    }

    @Test
    void rotatedKeysReadWhatTheOldKeyWrote() {
        String oldKey = AesGcmEncryptor.generateKey();
        byte[] written = AesGcmEncryptor.of("2026-05", oldKey).encrypt("globals".getBytes());
        Encryptor rotated = AesGcmEncryptor.builder().primaryKey("2026-11", AesGcmEncryptor.generateKey()).oldKey("2026-05", oldKey).build();
        assertThat(new String(rotated.decrypt(written))).isEqualTo("globals");
    }
}
