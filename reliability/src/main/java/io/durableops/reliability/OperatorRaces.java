package io.durableops.reliability;

import io.durableops.core.IllegalOperationStateException;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationId;
import io.durableops.core.StorageException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The operator-race phase (issue 22): while the workload runs, operators fire concurrent actions at some of its
 * operations. First, at a RUNNING one, a cancel, an expiry and a run-now at the same moment: at most one of the two ends
 * may win. Then, at the ended one, four retries and a cancel at once: exactly one retry wins, and the cancel may end it
 * again. The audit then checks that every raced operation ended in one consistent state (COMPLETED with each step once,
 * or ended with an operator's reason) and that nothing runs behind an ended operation.
 */
final class OperatorRaces {
    /** Which workload operations are raced: those whose number leaves this remainder modulo 10. */
    static boolean raced(int n) {
        return n % 10 == 3;
    }

    private final java.util.function.Supplier<OperationAdmin> admins;
    private final Map<Integer, OperationId> workload;
    private final Set<Integer> done = ConcurrentHashMap.newKeySet();
    private final AtomicInteger won = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code admins}: the application's admin API as it is now (the rolling deploy replaces the runtime behind it). */
    OperatorRaces(java.util.function.Supplier<OperationAdmin> admins, Map<Integer, OperationId> workload) {
        this.admins = admins;
        this.workload = workload;
    }

    /** Races the raced operations as they are enqueued, on a thread of its own, until {@code until}. */
    Thread start(Instant until) {
        Thread thread = new Thread(() -> {
            while (Instant.now().isBefore(until)) {
                for (Map.Entry<Integer, OperationId> e : List.copyOf(workload.entrySet())) {
                    if (!raced(e.getKey()) || !done.add(e.getKey())) continue;
                    try {
                        race(e.getValue());
                    } catch (RuntimeException failure) {
                        // why not fatal: the database outage may be under way; the audit still checks the operation
                        problems.add("race on " + e.getValue() + " could not finish: " + failure);
                    }
                }
                Traffic.sleepUntil(Instant.now().plusMillis(200));
            }
        }, "operator-races");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void race(OperationId id) {
        OperationAdmin admin = admins.get();
        Fired first = once(List.of(
                () -> admin.as("race-cancel").cancel(id),
                () -> admin.as("race-expire").expire(id)),
                () -> admin.as("race-run-now").runNow(id));
        if (first.unavailable() > 0) return; // the database is away: nothing to judge
        int ends = first.wins();
        if (ends > 1) problems.add("operation " + id + ": a cancel and an expiry fired together both won");
        if (ends == 0) return; // it completed first
        List<Runnable> retries = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String actor = "race-retry-" + i;
            retries.add(() -> admin.as(actor).retry(id));
        }
        java.util.concurrent.atomic.AtomicBoolean cancelledAgain = new java.util.concurrent.atomic.AtomicBoolean();
        Fired second = once(retries, () -> {
            admin.as("race-cancel-again").cancel(id);
            cancelledAgain.set(true);
        });
        if (second.unavailable() > 0) return;
        int retried = second.wins();
        // why one more with the cancel: a retry, the cancel, then another retry is a legal order
        int most = cancelledAgain.get() ? 2 : 1;
        if (retried < 1 || retried > most) {
            problems.add("operation " + id + ": " + retried + " of 4 concurrent retries won (the cancel " + (cancelledAgain.get() ? "won" : "lost") + ")");
        }
    }

    /** How many of the counted actions of one volley won, and how many actions found the database away. */
    private record Fired(int wins, int unavailable) {
    }

    /**
     * Fires {@code counted} and {@code other} at once, each on its own thread. Refusals
     * ({@link IllegalOperationStateException}) are the expected answer of the losers; a {@link StorageException} (the
     * outage) is counted apart.
     */
    private Fired once(List<Runnable> counted, Runnable other) {
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger unavailable = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Runnable> all = new ArrayList<>(counted);
        all.add(other);
        for (int i = 0; i < all.size(); i++) {
            Runnable action = all.get(i);
            boolean counts = i < counted.size();
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    action.run();
                    won.incrementAndGet();
                    if (counts) wins.incrementAndGet();
                } catch (IllegalOperationStateException e) {
                    refused.incrementAndGet();
                } catch (StorageException e) {
                    unavailable.incrementAndGet();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    problems.add("an operator action failed: " + e);
                }
            }, "operator-" + i);
            threads.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : threads) {
            try {
                t.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new Fired(wins.get(), unavailable.get());
    }

    int won() {
        return won.get();
    }

    int refused() {
        return refused.get();
    }

    List<String> problems() {
        return problems;
    }
}
