package io.durableops.core;

import java.util.Collection;
import java.util.TreeSet;

/** An operation was enqueued (or found in storage) under a definition name that is not registered. */
public final class UnknownDefinitionException extends DurableOpsException {
    public UnknownDefinitionException(String name, Collection<String> known) {
        super("no operation definition is registered as '" + name + "'; registered: " + new TreeSet<>(known)
                + ". Register it with DurableOps.builder().register(...)");
    }
}
