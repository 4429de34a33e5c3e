package io.durableops.spring;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Hands the application's Micrometer registries to the builder, when there are such beans (Spring Boot's Actuator
 * declares both): one {@code MeterRegistry} for the counters and gauges, one {@code ObservationRegistry} whose handlers
 * turn each step into a timer and, with Micrometer Tracing, a span. See docs/observability.md.
 */
@Configuration(proxyBeanMethods = false)
class DurableOpsTelemetryConfiguration {
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class Meters {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        DurableOpsBuilderCustomizer durableOpsMeterRegistry(ObjectProvider<MeterRegistry> registry) {
            return builder -> registry.ifUnique(builder::meterRegistry);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    static class Observations {
        @Bean
        @Order(Ordered.HIGHEST_PRECEDENCE)
        DurableOpsBuilderCustomizer durableOpsObservationRegistry(ObjectProvider<ObservationRegistry> registry) {
            return builder -> registry.ifUnique(builder::observationRegistry);
        }
    }
}
