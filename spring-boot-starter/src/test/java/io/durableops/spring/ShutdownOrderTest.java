package io.durableops.spring;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationScheduler;
import io.durableops.spring.testapp.TestApplication;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closing the application drains Durable Ops while JobRunr's server still runs: a step running when the context closes
 * finishes and is recorded (not interrupted, not handed back), and only then does JobRunr's server stop.
 */
class ShutdownOrderTest {
    private static final String URL = "jdbc:h2:mem:shutdown-order;DB_CLOSE_DELAY=-1";

    @Test
    void theRuntimeDrainsBeforeJobRunrsServerStops() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class, GateConfiguration.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + URL, "jobrunr.background-job-server.enabled=true",
                        "durable-ops.encryption.plaintext=true", "durable-ops.drain-timeout=20s")
                .run();
        Gate gate = context.getBean(Gate.class);
        BackgroundJobServer server = context.getBean(BackgroundJobServer.class);
        context.getBean(OperationScheduler.class).enqueue(Gate.NAME, Map.of());
        assertThat(gate.started.await(30, TimeUnit.SECONDS)).as("the step started").isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        await().atMost(Duration.ofSeconds(10)).untilTrue(gate.contextClosing);
        assertThat(server.isRunning()).as("JobRunr's server while the runtime drains").isTrue();
        gate.release.countDown();
        closing.get(30, TimeUnit.SECONDS);

        assertThat(gate.serverRunningAtStepEnd).as("JobRunr's server when the step ended").isTrue();
        assertThat(server.isRunning()).as("JobRunr's server after the context closed").isFalse();
        assertThat(statusOf("wait-at-gate")).as("the step's attempt, recorded during the drain").isEqualTo("SUCCEEDED");
    }

    private static String statusOf(String step) throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "sa", "");
             PreparedStatement ps = c.prepareStatement("SELECT status FROM durable_attempts WHERE step = ?")) {
            ps.setString(1, step);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("an attempt of %s", step).isTrue();
                return rs.getString(1);
            }
        }
    }

    /** A step that waits at a gate the test opens once the context is closing. */
    static final class Gate implements OperationDefinition, ApplicationListener<ContextClosedEvent> {
        static final String NAME = "gated";
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicBoolean contextClosing = new AtomicBoolean();
        volatile boolean serverRunningAtStepEnd;
        private final ObjectProvider<BackgroundJobServer> server;

        Gate(ObjectProvider<BackgroundJobServer> server) {
            this.server = server;
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void define(Flow flow) {
            flow.action("wait-at-gate", ctx -> {
                        started.countDown();
                        if (!release.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("the gate was never opened");
                        serverRunningAtStepEnd = server.getObject().isRunning();
                    })
                    .result("through");
        }

        @Override
        public void onApplicationEvent(ContextClosedEvent event) {
            contextClosing.set(true);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GateConfiguration {
        @Bean
        Gate gate(ObjectProvider<BackgroundJobServer> server) {
            return new Gate(server);
        }
    }
}
