package io.durableops.core;

/** No schedule exists with the given name. */
public final class ScheduleNotFoundException extends DurableOpsException {
    public ScheduleNotFoundException(String name) {
        super("no schedule named '" + name + "'");
    }
}
