package io.durableops.spring;

import io.durableops.core.DurableOps;

/**
 * Adjusts the {@link DurableOps.Builder} the starter configured from the {@code durable-ops.*} properties, just before
 * it is built: declare one as a bean for what the properties do not cover (a clock, an {@code ObjectMapper}, schedules).
 * The starter's own customizers (the application's Micrometer registries) run first.
 */
@FunctionalInterface
public interface DurableOpsBuilderCustomizer {
    void customize(DurableOps.Builder builder);
}
