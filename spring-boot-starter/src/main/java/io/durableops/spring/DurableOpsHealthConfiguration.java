package io.durableops.spring;

import io.durableops.core.DurableOps;
import io.durableops.core.NodeHealth;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code durableOps} Actuator health indicator, when Actuator is on the classpath ({@code management.health.durable-ops.enabled}
 * turns it off): {@link DurableOps#health()} as UP or DOWN with its details.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.health.HealthIndicator",
        "org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator"})
class DurableOpsHealthConfiguration {
    @Bean
    @ConditionalOnMissingBean(name = "durableOpsHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("durable-ops")
    HealthIndicator durableOpsHealthIndicator(DurableOps durableOps) {
        return () -> health(durableOps.health());
    }

    /**
     * UP while the database answers and the relay runs; DOWN with the problem otherwise. The backlog (attempts due and
     * not started) and the stranded operations (PAUSED because no live node has their step) are details, not judged.
     */
    static Health health(NodeHealth node) {
        Health.Builder health = node.isHealthy() ? Health.up() : Health.down();
        health.withDetail("databaseReachable", node.databaseReachable())
                .withDetail("relayRunning", node.relayRunning())
                .withDetail("lastRelayPass", node.lastRelayPass().map(Object::toString).orElse("never"))
                .withDetail("backlog", node.due())
                .withDetail("stranded", node.paused());
        node.problem().ifPresent(problem -> health.withDetail("problem", problem));
        return health.build();
    }
}
