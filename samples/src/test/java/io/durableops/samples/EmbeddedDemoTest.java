package io.durableops.samples;

import io.durableops.core.AttemptView;
import io.durableops.core.ConfigurationException;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.OperationView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedDemoTest {
    @TempDir
    Path directory;

    @Test
    void theDemoRunsTheSubscriptionScenarioToCompletionOnAnH2File() throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (EmbeddedDemo demo = EmbeddedDemo.start(directory, freePort(), Duration.ofSeconds(1), new PrintStream(output, true, StandardCharsets.UTF_8))) {
            Map<OperationId, OperationView> finished = demo.runScenario(Duration.ofSeconds(60));

            assertThat(finished).hasSize(2);
            assertThat(finished.values()).extracting(OperationView::status).containsOnly(OperationStatus.COMPLETED);
            OperationView red = finished.values().stream()
                    .filter(v -> v.globals().get("plan", String.class).equals("red")).findFirst().orElseThrow();
            assertThat(red.results().get("features", String.class)).isEqualTo("red: unlimited projects");
            assertThat(demo.scheduler().attempts(red.id())).extracting(AttemptView::step)
                    .containsExactly("charge-card", "which-plan", "setup-red", "send-receipt", "fulfilled");
            assertThat(demo.scheduler().attempts(red.id()).get(0).attemptCount()).as("the provider declined once").isEqualTo(2);
            java.net.http.HttpResponse<String> admin = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(demo.adminUrl())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(demo.adminUrl()).startsWith("http://127.0.0.1:");
            assertThat(admin.statusCode()).as("the admin UI asks for credentials").isEqualTo(401);
            assertThat(admin.body()).contains("Sign in");
        }
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("step charge-card   completed after 2 attempt(s) (retried after: payment provider unavailable")
                .contains("step send-receipt  scheduled for")
                .contains("step setup-blue    completed")
                .contains("is COMPLETED with results")
                .contains("Admin UI: http://127.0.0.1:").contains("user demo, password ");
        assertThat(Files.list(directory)).anySatisfy(f -> assertThat(f.getFileName().toString()).startsWith("demo").endsWith(".mv.db"));
    }

    @Test
    void aDemoThatCannotStartStopsJobRunrAndSaysWhy() throws Exception {
        Files.writeString(directory.resolve("demo.key"), "not a key");
        int dashboardPort = freePort();
        Set<Thread> before = nonDaemonThreads();

        assertThatThrownBy(() -> EmbeddedDemo.start(directory, dashboardPort, Duration.ofSeconds(1), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("key 'demo'");

        // JobRunr's server and dashboard threads are not daemons: left running, they keep the JVM (or mvn exec:java) alive
        await().pollInSameThread().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nonDaemonThreads()).isSubsetOf(before));
        try (ServerSocket dashboardPortAgain = new ServerSocket(dashboardPort)) {
            assertThat(dashboardPortAgain.getLocalPort()).as("the dashboard's port is free again").isEqualTo(dashboardPort);
        }
    }

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> !t.isDaemon() && t.isAlive()).collect(Collectors.toSet());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
