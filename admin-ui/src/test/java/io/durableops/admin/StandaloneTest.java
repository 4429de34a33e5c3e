package io.durableops.admin;

import com.zaxxer.hikari.HikariDataSource;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.StepOptions;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import io.durableops.jobrunr.JobRunrDispatcher;
import org.jobrunr.jobs.mappers.JobMapper;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.StorageProvider;
import org.jobrunr.storage.sql.common.SqlStorageProviderFactory;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;

/** The standalone admin UI against the JDBC URL of an application's database (H2 here). */
class StandaloneTest {
    @TempDir
    Path dir;

    @Test
    void theStandaloneUiShowsAndRetriesTheApplicationsOperationsThroughJobRunrsTables() throws Exception {
        try (TestDatabase db = TestDatabase.h2()) {
            String key = AesGcmEncryptor.generateKey();
            MutableClock clock = MutableClock.startingNow();
            ManualDispatcher dispatcher = new ManualDispatcher(clock);
            OperationId id;
            try (DurableOps app = DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("app-key", key))
                    .clock(clock).dispatcher(dispatcher).relayInterval(Duration.ZERO)
                    .register(define("billing", f -> f.action("charge-card", ctx -> {
                        throw new IllegalStateException("declined");
                    }, StepOptions.retry(RetryPolicy.none())).result("done"))).build()) {
                id = app.scheduler().enqueue("billing", Map.of("card", "4242"));
                dispatcher.runDue();
                assertThat(app.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
            }
            Files.writeString(dir.resolve("key.txt"), key);
            Files.writeString(dir.resolve("users.properties"), "ann = OPERATOR " + PasswordHash.hash("ann-secret".toCharArray()) + "\n");
            String url = ((HikariDataSource) db.dataSource()).getJdbcUrl();

            try (AdminMain.Standalone ui = AdminMain.start("--jdbc-url", url, "--db-user", "sa", "--users", dir.resolve("users.properties").toString(),
                    "--key-id", "app-key", "--key-file", dir.resolve("key.txt").toString(), "--port", "0",
                    "--jobrunr-dashboard", "http://jobrunr.example:8000")) {
                assertThat(ui.url()).startsWith("http://127.0.0.1:");
                WebClient web = new WebClient(ui.url().substring(0, ui.url().length() - 1));
                assertThat(web.get("/").statusCode()).isEqualTo(401);
                assertThat(web.login("", "ann", "ann-secret").statusCode()).isEqualTo(303);
                HttpResponse<String> page = web.get("/operations/" + id);
                assertThat(page.body()).contains("declined").contains("&quot;card&quot; : &quot;4242&quot;");
                assertThat(page.body()).as("--jobrunr-dashboard links the step to its job")
                        .contains("http://jobrunr.example:8000/dashboard/jobs/");
                HttpResponse<String> retried = web.post("/operations/" + id + "/retry", List.of("_csrf", WebClient.csrfOf(page.body())));
                assertThat(retried.statusCode()).isEqualTo(303);
            }

            StorageProvider storage = SqlStorageProviderFactory.using(db.dataSource());
            storage.setJobMapper(new JobMapper(new JacksonJsonMapper()));
            try (DurableOps check = DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("app-key", key))
                    .dispatcher(new ManualDispatcher(clock)).relayInterval(Duration.ZERO).build()) {
                assertThat(check.scheduler().get(id).status()).isEqualTo(OperationStatus.RUNNING);
                var attempt = check.scheduler().attempts(id).get(0);
                assertThat(storage.getJobById(JobRunrDispatcher.jobId(attempt.id(), 2)).hasState(StateName.ENQUEUED))
                        .as("the retried step waits in JobRunr's tables for the application's servers").isTrue();
                assertThat(check.admin().audit(id)).singleElement().satisfies(e -> assertThat(e.actor()).isEqualTo("ann"));
            } finally {
                storage.close();
            }
        }
    }
}
