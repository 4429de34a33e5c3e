package io.durableops.spring;

import io.durableops.admin.AdminUi;
import io.durableops.admin.Authenticator;
import io.durableops.admin.PasswordUsers;
import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOps;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * Starts the admin UI when {@code durable-ops-admin-ui} is on the classpath and {@code durable-ops.admin-ui.enabled=true}:
 * on {@code durable-ops.admin-ui.host}:{@code port} (127.0.0.1:7070 by default), signing users in with the application's
 * {@link Authenticator} bean or the users file {@code durable-ops.admin-ui.users-file}. It stops with the context.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.durableops.admin.AdminUi")
@ConditionalOnProperty(prefix = "durable-ops.admin-ui", name = "enabled", havingValue = "true")
class DurableOpsAdminUiConfiguration {
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    AdminUi durableOpsAdminUi(DurableOps durableOps, DurableOpsProperties properties, ObjectProvider<Authenticator> authenticator) {
        DurableOpsProperties.AdminUiProperties ui = properties.getAdminUi();
        Authenticator users = authenticator.getIfAvailable(() -> {
            if (ui.getUsersFile() == null || ui.getUsersFile().isBlank()) {
                throw new ConfigurationException("durable-ops.admin-ui.enabled=true needs users: set durable-ops.admin-ui.users-file "
                        + "(see docs/admin-ui.md) or declare an io.durableops.admin.Authenticator bean");
            }
            return PasswordUsers.load(Path.of(ui.getUsersFile()));
        });
        return AdminUi.builder(durableOps).authenticator(users).bind(ui.getHost(), ui.getPort()).start();
    }
}
