package io.durableops.core.internal.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.durableops.core.Limit;
import io.durableops.core.internal.Daemons;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.PermitStore;
import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits (see {@link Limit} and docs/flow-control.md): decides, before a claimed attempt's code runs, whether it may run
 * now. A worker's turn keeps the concurrency places it took until it ends, so steps run back to back on the fast path
 * take a place once. An attempt that may not run is handed back uncounted and queued behind what it waits for, with
 * the reason; a place that frees up wakes the first queued (priority, then age), and so does the relay's pass, so a
 * wake-up lost to a crash or a race costs at most one pass. After queueing, the place is looked at once more: of a
 * release and a queueing that cross, one of them sees the other.
 */
final class Admission {
    private static final Logger LOG = LoggerFactory.getLogger(Admission.class);
    private static final int PASS_BATCH = 200;
    private static final AtomicLong LAST_SEQ = new AtomicLong();

    private final Engine engine;
    private final Dispatch dispatch;
    private final HandBack handBack;
    /** Whose concurrency places this node's workers hold: renewed with this node's leases. */
    private final UUID holder = UUID.randomUUID();
    private final Map<String, Semaphore> perNode = new ConcurrentHashMap<>();
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> timers = new ConcurrentHashMap<>();
    private final AtomicInteger held = new AtomicInteger();
    private final Daemons.Lazy timer = new Daemons.Lazy("durable-ops-rate-limits");
    private volatile Map<String, Named> known;

    Admission(Engine engine, Dispatch dispatch, HandBack handBack) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.handBack = handBack;
        engine.awaits().onEnded(this::ended);
    }

    /** A limit as this node declares it, under the name its places and queue have in the database. */
    private record Named(String name, Limit limit, String definition) {
    }

    /** The places one worker's turn holds: given back when the turn ends. */
    static final class Turn {
        private final Map<String, Runnable> places = new LinkedHashMap<>();
        private final Set<UUID> admitted = new java.util.HashSet<>();
    }

    /**
     * Whether the claimed attempt {@code l} may run now under the limits of its step. If not, it is queued (handed back
     * uncounted) and this returns false. The places it takes are the turn's until {@link #close}.
     */
    boolean admit(Turn turn, Loaded l, CompiledDefinition definition, StepDef step) {
        if (definition.limits().isEmpty() && step.options().limits().isEmpty()) return true;
        List<Named> wanted = new ArrayList<>();
        for (Limit limit : definition.limits()) wanted.add(named(definition, limit, null, l.operation()));
        for (Limit limit : step.options().limits()) wanted.add(named(definition, limit, step.name(), l.operation()));
        wanted.removeIf(java.util.Objects::isNull);
        // why this order: a key's place is the scarcest and a rate's place cannot be given back, so it is taken last
        wanted.sort(java.util.Comparator.comparing(n -> n.limit().kind()));
        for (Named named : wanted) {
            String refusal = take(turn, named, l.operation());
            if (refusal != null) {
                queue(l, named, refusal);
                return false;
            }
        }
        return true;
    }

    /** Gives back what {@code turn} holds, each place waking the first attempt queued for it. */
    void close(Turn turn) {
        for (Map.Entry<String, Runnable> place : turn.places.entrySet()) {
            try {
                place.getValue().run();
                held.decrementAndGet();
            } catch (RuntimeException e) {
                LOG.warn("could not give back a place of limit {} (it comes back when its lease runs out): {}", place.getKey(),
                        io.durableops.core.internal.Logs.describe(e));
            }
            wakeQuietly(place.getKey());
        }
        turn.places.clear();
    }

    /** The relay's pass: wakes what is queued behind limits that have room now (a lost wake-up, a crashed holder). */
    void pass() {
        if (names().isEmpty()) return;
        for (String name : engine.tx().auto("find queued attempts", c -> PermitStore.queuedFor(c, PASS_BATCH))) wakeQuietly(name);
    }

    /** Extends this node's concurrency places with its leases. */
    void renew(Instant until) {
        if (held.get() <= 0) return;
        Instant now = engine.now();
        engine.tx().auto("renew the places of limits", c -> {
            PermitStore.renew(c, holder, until, now);
            return null;
        });
    }

    void shutdown() {
        timer.shutdownNow();
    }

    /**
     * Where a new operation of {@code definition} stands before limits: its priority, and under a per-key limit the
     * key's digest and its place in line.
     */
    static Rows.Queueing queueing(CompiledDefinition definition, ObjectNode input, Integer priority, Instant now) {
        int p = priority != null ? priority : definition.priority();
        Limit perKey = definition.perKey().orElse(null);
        if (perKey == null) return Rows.Queueing.of(p);
        JsonNode value = input.get(perKey.keyInput());
        String key = value == null || value.isNull() ? "" : value.isTextual() ? value.textValue() : value.toString();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        long seq = LAST_SEQ.updateAndGet(last -> Math.max(last + 1, micros * 1000));
        return new Rows.Queueing(p, digest(definition.name() + '\u0000' + key), seq, false);
    }

    // ---- taking places ---------------------------------------------------------------------------------------------

    /** Takes a place of {@code named} for this turn; null if it did, else why not. */
    private String take(Turn turn, Named named, Rows.Operation operation) {
        Limit limit = named.limit();
        switch (limit.kind()) {
            case PER_KEY -> {
                if (operation.queueing().admitted() || turn.admitted.contains(operation.id())) return null;
                if (admitKey(named, operation)) {
                    turn.admitted.add(operation.id());
                    return null;
                }
                return "queued: " + limit.permits() + " of " + limit.permits() + " operations with the same " + limit.keyInput() + " running";
            }
            case PER_NODE -> {
                if (turn.places.containsKey(named.name())) return null;
                Semaphore semaphore = perNode.computeIfAbsent(named.name(), n -> new Semaphore(limit.permits()));
                if (!semaphore.tryAcquire()) return "queued: " + limit.permits() + " of " + limit.permits() + " per node in use on this node";
                turn.places.put(named.name(), semaphore::release);
                held.incrementAndGet();
                return null;
            }
            case CONCURRENCY -> {
                if (turn.places.containsKey(named.name())) return null;
                UUID token = UUID.randomUUID();
                Integer place = takePlace(named, token, engine.now().plus(engine.lease()));
                if (place == null) return "queued: concurrency " + limit.permits() + " of " + limit.permits() + " in use";
                turn.places.put(named.name(), () -> engine.tx().auto("give back a place of " + named.name(), c -> {
                    PermitStore.giveBack(c, named.name(), place, token);
                    return null;
                }));
                held.incrementAndGet();
                return null;
            }
            case RATE -> {
                Instant now = engine.now();
                if (takePlace(named, null, now.plus(limit.period())) != null) return null;
                return "queued: rate " + limit.permits() + " per " + limit.period() + " reached";
            }
        }
        throw new IllegalStateException("unknown limit kind " + limit.kind());
    }

    /** Takes a free place of a concurrency or rate limit until {@code until} (a compare-and-set per place); null if none. */
    private Integer takePlace(Named named, UUID token, Instant until) {
        ensure(named);
        Instant now = engine.now();
        return engine.tx().auto("take a place of " + named.name(), c -> {
            for (int place : PermitStore.free(c, named.name(), named.limit().permits(), now)) {
                if (PermitStore.take(c, named.name(), place, token == null ? null : holder, token, until, now)) return place;
            }
            return null;
        });
    }

    /** Whether the operation may take one of its key's places: fewer than n hold one, and it is next in line. */
    private boolean admitKey(Named named, Rows.Operation operation) {
        String key = operation.queueing().partitionKey();
        if (key == null) return true; // enqueued before the definition had its per-key limit: it is not counted
        return Boolean.TRUE.equals(engine.tx().run("admit operation " + operation.id() + " under " + named.name(), c -> {
            List<PermitStore.KeyHolder> live = PermitStore.lockKey(c, operation.definition(), key, true);
            int room = named.limit().permits() - (int) live.stream().filter(PermitStore.KeyHolder::admitted).count();
            for (PermitStore.KeyHolder h : live) {
                if (h.operationId().equals(operation.id()) && h.admitted()) return true;
            }
            for (PermitStore.KeyHolder h : live) {
                if (h.admitted()) continue;
                if (room-- <= 0) return false;
                if (h.operationId().equals(operation.id())) {
                    PermitStore.admit(c, operation.id());
                    return true;
                }
            }
            return false;
        }));
    }

    // ---- queueing and waking ---------------------------------------------------------------------------------------

    /** Hands the claimed try back uncounted, queued behind {@code named}; then looks once more for room. */
    private void queue(Loaded l, Named named, String reason) {
        if (!handBack.queue(l, named.name(), reason)) return;
        LOG.debug("attempt {} ({} / {}) waits: {}", l.attempt().id(), l.operation().definition(), l.attempt().step(), reason);
        wakeQuietly(named.name());
        if (named.limit().kind() == Limit.Kind.RATE) wakeWhenFree(named);
    }

    /** Wakes as many attempts queued behind {@code name} as it has room for now; a failure waits for the relay's pass. */
    private void wakeQuietly(String name) {
        try {
            wake(name);
        } catch (RuntimeException e) {
            LOG.debug("waking what waits for {} failed; the relay's pass does it: {}", name, io.durableops.core.internal.Logs.describe(e));
        }
    }

    private void wake(String name) {
        Named named = names().get(name);
        if (named == null && name.startsWith(nameOf(Limit.Kind.PER_KEY, ""))) named = keyNamed(name);
        if (named == null) return; // a limit of a build this node does not run: its nodes wake it
        Named n = named;
        Instant now = engine.now();
        List<Rows.Pending> woken = engine.tx().run("wake attempts queued for " + name, c -> {
            List<Rows.Pending> candidates = switch (n.limit().kind()) {
                case PER_NODE -> PermitStore.queued(c, name, perNode.computeIfAbsent(name, k -> new Semaphore(n.limit().permits())).availablePermits());
                case CONCURRENCY, RATE -> PermitStore.queued(c, name, PermitStore.free(c, name, n.limit().permits(), now).size());
                case PER_KEY -> nextInLine(c, n);
            };
            List<Rows.Pending> done = new ArrayList<>();
            for (Rows.Pending p : candidates) {
                if (PermitStore.wake(c, p.attemptId(), p.generation(), now)) {
                    done.add(new Rows.Pending(p.attemptId(), p.generation() + 1, p.operationId(), p.definition(), p.step(), p.attemptCount(), now));
                }
            }
            return done;
        });
        dispatch.send(woken);
    }

    /**
     * The queued attempts of the operations next in line for a key's free places: only those, so that an operation
     * whose turn has not come (one before it is not due yet) is not woken to be queued again, and again.
     */
    private List<Rows.Pending> nextInLine(java.sql.Connection c, Named key) throws java.sql.SQLException {
        String digest = key.name().substring(key.name().length() - 64);
        List<PermitStore.KeyHolder> live = PermitStore.lockKey(c, key.definition(), digest, false);
        int room = key.limit().permits() - (int) live.stream().filter(PermitStore.KeyHolder::admitted).count();
        List<Rows.Pending> next = new ArrayList<>();
        for (PermitStore.KeyHolder h : live) {
            if (h.admitted()) continue;
            if (room-- <= 0) break;
            Rows.Pending queued = h.currentAttemptId() == null ? null : PermitStore.queuedAttempt(c, h.currentAttemptId());
            if (queued != null) next.add(queued);
        }
        return next;
    }

    /** A rate limit's next free place wakes what waits for it, on this node, without waiting for the relay. */
    private void wakeWhenFree(Named named) {
        if (timers.putIfAbsent(named.name(), Boolean.TRUE) != null) return;
        Instant now = engine.now();
        Instant free = engine.tx().auto("when a place of " + named.name() + " frees", c -> PermitStore.nextFree(c, named.name(),
                named.limit().permits(), now));
        long delay = free == null ? 0 : Math.max(1, Duration.between(now, free).toMillis() + 1);
        timer.get().schedule(() -> {
            timers.remove(named.name());
            wakeQuietly(named.name());
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** An operation ended: under a per-key limit, the next one of its key may start. */
    private void ended(UUID operation) {
        if (names().values().stream().noneMatch(n -> n.limit().kind() == Limit.Kind.PER_KEY)) return;
        try {
            String[] found = engine.tx().auto("read the key of operation " + operation, c -> PermitStore.keyOf(c, operation));
            if (found != null) wakeQuietly(nameOf(Limit.Kind.PER_KEY, found[0] + ":" + found[1]));
        } catch (RuntimeException e) {
            LOG.debug("the key of operation {} could not be read; the relay's pass wakes the next: {}", operation,
                    io.durableops.core.internal.Logs.describe(e));
        }
    }

    // ---- names -------------------------------------------------------------------------------------------------------

    /**
     * The database name of a limit: its kind, then where it counts: its definition and, for a step's own limit,
     * {@code /step}; for one key of a per-key limit, {@code :digest}.
     */
    private static String nameOf(Limit.Kind kind, String where) {
        String prefix = switch (kind) {
            case CONCURRENCY -> "c:";
            case PER_NODE -> "n:";
            case RATE -> "r:";
            case PER_KEY -> "k:";
        };
        return prefix + where;
    }

    /** {@code limit} of {@code definition} (of {@code step}, for a step's own), as this operation counts against it. */
    private Named named(CompiledDefinition definition, Limit limit, String step, Rows.Operation operation) {
        String where = definition.name() + (step == null ? "" : "/" + step);
        if (limit.kind() != Limit.Kind.PER_KEY) return new Named(nameOf(limit.kind(), where), limit, definition.name());
        String key = operation.queueing().partitionKey();
        return key == null ? null : new Named(nameOf(Limit.Kind.PER_KEY, definition.name() + ":" + key), limit, definition.name());
    }

    /** The limits this node's definitions declare (all versions), by name; per-key ones under "k:definition". */
    private Map<String, Named> names() {
        Map<String, Named> found = known;
        if (found != null) return found;
        Map<String, Named> names = new ConcurrentHashMap<>();
        for (String name : engine.definitions().names()) {
            for (int version : engine.definitions().versions(name)) {
                CompiledDefinition d = engine.definitions().find(name, version).orElseThrow();
                for (Limit limit : d.limits()) names.put(nameOf(limit.kind(), name), new Named(nameOf(limit.kind(), name), limit, name));
                for (StepDef step : d.steps().values()) {
                    for (Limit limit : step.options().limits()) {
                        String n = nameOf(limit.kind(), name + "/" + step.name());
                        names.put(n, new Named(n, limit, name));
                    }
                }
            }
        }
        known = names;
        return names;
    }

    /** A key's queue name ("k:definition:digest") as this node's per-key limit of that definition. */
    private Named keyNamed(String name) {
        if (name.length() < 2 + 1 + 64) return null;
        String definition = name.substring(2, name.length() - 65);
        Named perKey = names().get(nameOf(Limit.Kind.PER_KEY, definition));
        return perKey == null ? null : new Named(name, perKey.limit(), definition);
    }

    /** Makes sure the places of a concurrency or rate limit exist (the first node to use them adds them). */
    private void ensure(Named named) {
        if (ensured.contains(named.name())) return;
        Set<Integer> existing = engine.tx().auto("read the places of " + named.name(),
                c -> PermitStore.existing(c, named.name(), named.limit().permits()));
        for (int place = 0; place < named.limit().permits(); place++) {
            if (existing.contains(place)) continue;
            int p = place;
            try {
                engine.tx().auto("add a place of " + named.name(), c -> {
                    PermitStore.add(c, named.name(), p);
                    return null;
                });
            } catch (io.durableops.core.StorageException e) {
                // another node may have added it at the same time; the places are read again below
                LOG.debug("place {} of {} could not be added (another node may have): {}", p, named.name(), io.durableops.core.internal.Logs.describe(e));
            }
        }
        int now = engine.tx().auto("read the places of " + named.name(), c -> PermitStore.existing(c, named.name(), named.limit().permits())).size();
        if (now == named.limit().permits()) ensured.add(named.name());
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
