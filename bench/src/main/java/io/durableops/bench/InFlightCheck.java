package io.durableops.bench;

import io.durableops.core.EnqueueOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The heap with many operations in flight: operations whose first step is 10 minutes away (inside the adapter's
 * 15-minute timer horizon, so each also holds a local timer), enqueued from 8 application threads. Peak heap is
 * sampled while they are enqueued; live heap is measured after a full GC with all of them in flight.
 */
final class InFlightCheck {
    private static final int THREADS = 8;

    private InFlightCheck() {
    }

    record Outcome(int requested, long inFlight, double enqueueSeconds, long heapPeakBytes, long liveHeapBytes, long durableOpsBytes) {
        double heapPeakMb() {
            return heapPeakBytes / (1024.0 * 1024.0);
        }

        double liveHeapMb() {
            return liveHeapBytes / (1024.0 * 1024.0);
        }

        double enqueuesPerSecond() {
            return inFlight / enqueueSeconds;
        }
    }

    static Outcome run(BenchConfig config, Database db, SqlCounter counter) throws Exception {
        try (DurableWorkload.Setup setup = new DurableWorkload.Setup(config, db, counter, FastPathSetting.IMPLEMENTED)) {
            int total = config.inFlight();
            AtomicInteger next = new AtomicInteger();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            EnqueueOptions later = EnqueueOptions.delay(Duration.ofMinutes(10));
            Meter meter = new Meter(db, counter).start();
            long started = System.nanoTime();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread = new Thread(() -> {
                    try {
                        for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                            setup.ops.scheduler().enqueue(BenchDefinitions.CHAIN, Map.of("chain", i), later);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e);
                    }
                }, "bench-enqueue-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread thread : threads) thread.join();
            double seconds = (System.nanoTime() - started) / 1e9;
            Meter.Usage usage = meter.stop();
            if (!failures.isEmpty()) throw new IllegalStateException("enqueueing the in-flight operations failed", failures.get(0));
            long live = Meter.liveHeap();
            long inFlight = db.queryLong("SELECT COUNT(*) FROM ${db}.durable_operations WHERE status = 'RUNNING'");
            long bytes = db.tableBytes(DurableWorkload.TABLES).values().stream().mapToLong(Long::longValue).sum();
            return new Outcome(total, inFlight, seconds, usage.heapPeakBytes(), live, bytes);
        }
    }
}
