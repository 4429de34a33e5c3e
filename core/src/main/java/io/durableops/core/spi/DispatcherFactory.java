package io.durableops.core.spi;

/** Creates the dispatcher once the runtime exists, handing it the runner that executes attempts. */
@FunctionalInterface
public interface DispatcherFactory {
    Dispatcher create(String instanceName, AttemptRunner runner);
}
