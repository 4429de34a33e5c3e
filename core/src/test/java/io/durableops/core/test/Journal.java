package io.durableops.core.test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Records which steps ran, in order, so tests can assert what ran and how often. Thread-safe. */
public final class Journal {
    private final List<String> entries = new ArrayList<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    public synchronized void ran(String step) {
        entries.add(step);
        counts.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    }

    public synchronized List<String> entries() {
        return List.copyOf(entries);
    }

    public int count(String step) {
        AtomicInteger count = counts.get(step);
        return count == null ? 0 : count.get();
    }
}
