package io.durableops.jobrunr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A job class for staged-job tests: counts its runs by key. Static, because JobRunr creates its own instance. */
public final class StagedJobs {
    static final Map<String, AtomicInteger> RUNS = new ConcurrentHashMap<>();

    public void sendReceipt(String key) {
        RUNS.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    static int runs(String key) {
        AtomicInteger count = RUNS.get(key);
        return count == null ? 0 : count.get();
    }
}
