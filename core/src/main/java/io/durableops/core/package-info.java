/**
 * Durable Ops' public API: define operations ({@link io.durableops.core.OperationDefinition}, {@link io.durableops.core.Flow}),
 * build the runtime ({@link io.durableops.core.DurableOps#builder()}), start and steer them
 * ({@link io.durableops.core.OperationScheduler}, {@link io.durableops.core.admin.OperationAdmin},
 * {@link io.durableops.core.Schedules}), and the options, views and exceptions they use (every exception is a
 * {@link io.durableops.core.DurableOpsException}). Start with docs/getting-started.md.
 */
package io.durableops.core;
