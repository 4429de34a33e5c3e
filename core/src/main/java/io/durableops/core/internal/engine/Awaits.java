package io.durableops.core.internal.engine;

import io.durableops.core.OperationId;
import io.durableops.core.OperationView;
import io.durableops.core.internal.store.Rows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The operations awaited on this node ({@code OperationScheduler.await}, {@code resultAsync}): each a future, completed
 * at once when the operation ends on this node, and by the relay's next pass when it ends on another.
 */
public final class Awaits {
    private static final int BATCH = 500;

    private volatile Engine engine;
    private volatile Function<Rows.Operation, OperationView> view;
    private final Map<UUID, CompletableFuture<OperationView>> awaited = new ConcurrentHashMap<>();
    private final List<java.util.function.Consumer<UUID>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** {@code listener} hears of every operation that may have ended on this node (limits wake what waits behind it). */
    void onEnded(java.util.function.Consumer<UUID> listener) {
        listeners.add(listener);
    }

    /** Bound once the engine and the scheduler that makes views exist (they need each other). */
    void bind(Engine engine, Function<Rows.Operation, OperationView> view) {
        this.engine = engine;
        this.view = view;
    }

    /** The future of {@code id}'s end, completed at once if it has ended. */
    CompletableFuture<OperationView> of(OperationId id) {
        CompletableFuture<OperationView> future = awaited.computeIfAbsent(id.value(), k -> new CompletableFuture<>());
        completeIfEnded(id.value()); // why now: it may have ended before it was awaited
        return future;
    }

    /** Called after a commit that may have ended {@code operation}: completes its future if it has. */
    void ended(UUID operation) {
        for (java.util.function.Consumer<UUID> listener : listeners) listener.accept(operation);
        completeIfEnded(operation);
    }

    private void completeIfEnded(UUID operation) {
        if (engine == null || !awaited.containsKey(operation)) return;
        engine.tx().auto("read awaited operation " + operation, c -> engine.store().findOperation(c, operation))
                .filter(o -> o.status().isTerminal())
                .ifPresent(o -> complete(o));
    }

    /** The relay's pass: completes the futures of awaited operations that ended anywhere. */
    void poll() {
        if (engine == null || awaited.isEmpty()) return;
        List<UUID> ids = new ArrayList<>(awaited.keySet());
        for (int from = 0; from < ids.size(); from += BATCH) {
            List<UUID> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
            for (Rows.Operation o : engine.tx().auto("read awaited operations", c -> engine.store().findOperations(c, batch))) {
                if (o.status().isTerminal()) complete(o);
            }
        }
    }

    private void complete(Rows.Operation o) {
        CompletableFuture<OperationView> future = awaited.remove(o.id());
        if (future != null) future.complete(view.apply(o));
    }
}
