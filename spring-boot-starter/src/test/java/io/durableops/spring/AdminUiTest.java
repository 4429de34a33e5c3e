package io.durableops.spring;

import io.durableops.admin.AdminUi;
import io.durableops.admin.Authenticator;
import io.durableops.admin.PasswordHash;
import io.durableops.admin.PasswordUsers;
import org.jobrunr.spring.autoconfigure.JobRunrAutoConfiguration;
import org.jobrunr.spring.autoconfigure.storage.JobRunrSqlStorageAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin UI starts with the context when durable-ops-admin-ui is on the classpath and enabled, and stops with it. */
class AdminUiTest {
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, JobRunrSqlStorageAutoConfiguration.class,
                    JobRunrAutoConfiguration.class, DurableOpsAutoConfiguration.class))
            .withPropertyValues("spring.datasource.url=jdbc:h2:mem:admin-ui-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "durable-ops.encryption.plaintext=true");

    @Test
    void enabledStartsTheUiWithTheApplicationsAuthenticator() {
        Authenticator users = PasswordUsers.builder().operator("ops", PasswordHash.hash("a long enough passphrase".toCharArray(),
                PasswordHash.MIN_ITERATIONS)).build();
        runner.withBean(Authenticator.class, () -> users)
                .withPropertyValues("durable-ops.admin-ui.enabled=true", "durable-ops.admin-ui.port=0")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    AdminUi ui = context.getBean(AdminUi.class);
                    HttpResponse<String> login = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.url() + "login")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(login.statusCode()).isEqualTo(200);
                    assertThat(login.body()).contains("Durable Ops");
                });
    }

    @Test
    void enabledWithoutUsersStopsStartUpAndSaysWhatToSet() {
        runner.withPropertyValues("durable-ops.admin-ui.enabled=true", "durable-ops.admin-ui.port=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("durable-ops.admin-ui.users-file");
        });
        // the runtime built before the UI failed was closed with the failed context: its name is free for the next one
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(io.durableops.core.DurableOps.class));
    }

    @Test
    void offByDefault() {
        runner.run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(AdminUi.class));
    }
}
