/**
 * The service provider interface between the runtime and a job system: a {@link io.durableops.core.spi.Dispatcher}
 * hands attempts to workers, which run them through an {@link io.durableops.core.spi.AttemptRunner}. The JobRunr
 * adapter implements it; applications use it only to plug in another job system.
 */
package io.durableops.core.spi;
