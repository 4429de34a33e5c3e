package io.durableops.bench;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each step's code began and ended, per operation and step index, stamped by the steps themselves (wall-clock
 * microseconds). why in memory: through MySQL Connector/J a MariaDB server announces itself as "5.5.5-10.x", the
 * driver then believes it cannot store fractional seconds and truncates every bound timestamp, so the attempts
 * table holds whole seconds only (see docs/benchmarks.md).
 */
final class StepTimes {
    private final int steps;
    private final Map<UUID, AtomicLongArray> begin = new ConcurrentHashMap<>();
    private final Map<UUID, AtomicLongArray> end = new ConcurrentHashMap<>();

    StepTimes(int steps) {
        this.steps = steps;
    }

    void markBegin(UUID operation, int step) {
        begin.computeIfAbsent(operation, k -> new AtomicLongArray(steps)).set(step, Micros.now());
    }

    void markEnd(UUID operation, int step) {
        end.computeIfAbsent(operation, k -> new AtomicLongArray(steps)).set(step, Micros.now());
    }

    /** Microseconds, or 0 if that step has not begun. */
    long begin(UUID operation, int step) {
        AtomicLongArray times = begin.get(operation);
        return times == null ? 0 : times.get(step);
    }

    long end(UUID operation, int step) {
        AtomicLongArray times = end.get(operation);
        return times == null ? 0 : times.get(step);
    }

    Iterable<UUID> operations() {
        return begin.keySet();
    }

    int steps() {
        return steps;
    }
}
