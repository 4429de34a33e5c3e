package io.durableops.core;

import io.durableops.core.admin.OperationAdmin;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableops.core.internal.admin.AdminService;
import io.durableops.core.internal.engine.Dispatch;
import io.durableops.core.internal.engine.Engine;
import io.durableops.core.internal.engine.OperationService;
import io.durableops.core.internal.engine.Relay;
import io.durableops.core.internal.engine.StepRunner;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.json.JsonCodec;
import io.durableops.core.internal.store.Dialect;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.internal.store.JdbcStore;
import io.durableops.core.internal.store.Migrations;
import io.durableops.core.internal.store.PoolSize;
import io.durableops.core.internal.store.Tx;
import io.durableops.core.internal.telemetry.MicrometerTelemetry;
import io.durableops.core.internal.telemetry.Telemetry;
import io.durableops.core.spi.DispatcherFactory;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The Durable Ops runtime of one application node: storage, registered definitions, the step runner and the relay.
 * Build it once at start-up, share its {@link #scheduler()}, close it at shutdown.
 *
 * <pre>{@code
 * DurableOps ops = DurableOps.builder()
 *         .dataSource(dataSource)
 *         .encryptor(AesGcmEncryptor.of("k1", System.getenv("DURABLE_OPS_KEY")))
 *         .register(new SubscriptionFulfillment())
 *         .dispatcher(JobRunrDispatcher.using(storageProvider, backgroundJobServer))
 *         .build();
 * OperationId id = ops.scheduler().enqueue("subscription-fulfillment", Map.of("subscriptionId", 42));
 * }</pre>
 */
public final class DurableOps implements AutoCloseable {
    private final String name;
    private final Dialect dialect;
    private final OperationService scheduler;
    private final Dispatch dispatch;
    private final Relay relay;
    private final StepRunner runner;
    private final Duration drainTimeout;
    private final AdminService admin;
    private final io.durableops.core.internal.engine.ScheduleService schedules;

    private DurableOps(Builder b) {
        this.name = b.name;
        this.dialect = Dialect.detect(b.dataSource);
        if (b.migrate) Migrations.migrate(b.dataSource, dialect);
        dialect.inspect(b.dataSource);
        Definitions definitions = new Definitions(b.definitions);
        // why at most half the pool: a fast-path turn holds a connection for its steps, and the application, JobRunr and
        // this node's other workers need the rest (a pool of 2 with 4 turns once stalled every enqueue)
        int mostHeld = Math.min(b.fastPathTurns, PoolSize.of(b.dataSource).orElse(Integer.MAX_VALUE) / 2);
        Telemetry telemetry = b.observations == null && b.meters == null ? Telemetry.NONE : MicrometerTelemetry.create(b.observations, b.meters);
        Engine engine = new Engine(new Tx(b.dataSource, dialect, mostHeld), new JdbcStore(dialect), new FlowStore(), definitions,
                new JsonCodec(b.objectMapper != null ? b.objectMapper : JsonCodec.defaultMapper(), b.encryptor), b.clock, b.lease, b.fastPath, telemetry,
                new io.durableops.core.internal.engine.Awaits());
        this.dispatch = new Dispatch(engine, b.fastPathTurns, b.fastPathLinger, b.dispatchGrace);
        this.runner = new StepRunner(engine, dispatch);
        this.drainTimeout = b.drainTimeout;
        this.schedules = new io.durableops.core.internal.engine.ScheduleService(engine, dispatch);
        this.relay = new Relay(engine, dispatch, runner, b.dispatchGrace, b.retention, name, b.strandedGrace, schedules);
        this.scheduler = new OperationService(engine, dispatch, relay::afterCallerCommit);
        this.admin = new AdminService(engine, dispatch, scheduler);
        try {
            dispatch.use(Objects.requireNonNull(b.dispatcherFactory.create(name, runner), "the dispatcher factory returned null"));
            relay.join();
            for (java.util.function.Consumer<Schedules> declared : b.schedules) declared.accept(schedules);
            if (!b.relayInterval.isZero()) relay.start(name, b.relayInterval);
        } catch (RuntimeException | Error e) {
            Dispatch.stopAfterFailedStart(relay, dispatch, e);
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts, looks up and steers operations. */
    public OperationScheduler scheduler() {
        return scheduler;
    }

    /** Finds, counts and steers operations for operators (the admin UI): filters, paging, bulk actions, audit trail. */
    public OperationAdmin admin() {
        return admin;
    }

    /** Operations started on a schedule (cron or interval): store, pause, resume, trigger and list schedules. */
    public Schedules schedules() {
        return schedules;
    }

    /** The name this runtime was built with; dispatchers use it to find it again when a job runs. */
    public String name() {
        return name;
    }

    /** "H2" or "MySQL": the dialect chosen from the database's metadata. */
    public String databaseDialect() {
        return dialect.name();
    }

    /**
     * Dispatches now what the relay would dispatch on its next pass: committed attempts whose dispatch was never
     * confirmed (older than the dispatch grace) and attempts whose runner's lease ran out. Returns how many.
     */
    public int relayNow() {
        return relay.runOnce();
    }

    /**
     * How this node is doing, for a health check: the database is asked two counts (the backlog of attempts due and not
     * started, and the PAUSED operations); the relay is running if its last pass began within ten intervals (or 10 s).
     * A runtime built with {@code relayInterval(ZERO)} has no relay and is never reported healthy.
     */
    public NodeHealth health() {
        return relay.health();
    }

    /**
     * Stops this node gracefully: it claims nothing new (requests that arrive are left to other nodes, or to the next
     * start), lets the steps it runs finish for up to the {@link Builder#drainTimeout drain timeout}, then hands back,
     * uncounted, those still running, and stops the relay and the dispatcher. Operations in flight stay in the database
     * and resume on another node or the next start; no try is used up by the shutdown. Close it before stopping
     * JobRunr's background job server (see docs/getting-started.md); in the other order, steps JobRunr interrupts are
     * handed back uncounted too.
     */
    @Override
    public void close() {
        runner.drain();
        dispatch.closeHandOff();
        relay.stopPasses();
        if (!runner.awaitIdle(drainTimeout)) runner.releaseRunning();
        relay.close();
        dispatch.dispatcher().close();
    }

    /** Configures a {@link DurableOps}; validated by {@link #build()}, frozen afterwards. */
    public static final class Builder {
        private DataSource dataSource;
        private Encryptor encryptor;
        private DispatcherFactory dispatcherFactory;
        private Clock clock = Clock.systemUTC();
        private ObjectMapper objectMapper;
        private final List<OperationDefinition> definitions = new ArrayList<>();
        private String name = "default";
        private Duration lease = Duration.ofSeconds(60);
        private Duration relayInterval = Duration.ofSeconds(1);
        private Duration dispatchGrace = Duration.ofSeconds(5);
        private boolean migrate = true;
        private FastPath fastPath = FastPath.off();
        private int fastPathTurns = 2 * Runtime.getRuntime().availableProcessors();
        private Duration fastPathLinger = Duration.ofMillis(10);
        private Duration retention = Duration.ofDays(90);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private Duration strandedGrace = Duration.ofMinutes(5);
        private boolean built;
        private final List<java.util.function.Consumer<Schedules>> schedules = new ArrayList<>();
        private boolean logUserData;
        /** An ObservationRegistry and a MeterRegistry, kept as Object: Micrometer is optional, loaded only when given. */
        private Object observations;
        private Object meters;

        private Builder() {
        }

        /** Where Durable Ops keeps its tables: H2 or MySQL/MariaDB. Required. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = dataSource;
            return this;
        }

        /** Encrypts input, globals, arguments and results at rest. Required: {@link AesGcmEncryptor}, or {@link Encryptor#plaintext()} on purpose. */
        public Builder encryptor(Encryptor encryptor) {
            this.encryptor = encryptor;
            return this;
        }

        /** What runs the attempts: {@code JobRunrDispatcher.using(...)} in production, {@code ManualDispatcher} in tests. Required. */
        public Builder dispatcher(DispatcherFactory factory) {
            this.dispatcherFactory = factory;
            return this;
        }

        /** The clock every timestamp and delay is taken from. Defaults to the UTC system clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The Jackson mapper for user data. Defaults to one with Java time support. */
        public Builder objectMapper(ObjectMapper objectMapper) {
            this.objectMapper = objectMapper;
            return this;
        }

        /** Registers definitions; before {@link #build()} only (a built runtime's definitions are frozen). */
        public Builder register(OperationDefinition... definitions) {
            return register(List.of(definitions));
        }

        /** Registers definitions; before {@link #build()} only (a built runtime's definitions are frozen). */
        /**
         * Stores (or updates) a schedule when the runtime is built, as {@link Schedules#put} does: every tick of
         * {@code schedule} starts an operation of {@code definition} with {@code input}. Declaring it on every node is
         * safe: each tick still starts exactly one operation. A schedule no longer declared is not deleted.
         */
        public Builder schedule(String name, String definition, Schedule schedule, java.util.Map<String, ?> input) {
            if (built) throw new ConfigurationException("schedule(...) after build(): use the built runtime's schedules().put(...)");
            Objects.requireNonNull(schedule, "schedule");
            schedules.add(declared -> declared.put(name, definition, schedule, input));
            return this;
        }

        public Builder register(Collection<? extends OperationDefinition> definitions) {
            if (built) {
                throw new ConfigurationException("register(...) after build(): the runtime's definitions are frozen once it is "
                        + "built; register every definition before build(), or build a new runtime");
            }
            this.definitions.addAll(definitions);
            return this;
        }

        /** Distinguishes several runtimes in one JVM. Defaults to "default". */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /**
         * How long a running attempt is owned by its node without renewal. The node renews it every third of this while
         * the step runs; if the node dies, the attempt is scheduled again after at most this long. Defaults to 60 s.
         */
        public Builder lease(Duration lease) {
            this.lease = lease;
            return this;
        }

        /**
         * How often the relay runs (dispatching what was not dispatched, deadlines, lease recovery): at least 1 ms.
         * Defaults to 1 s. {@code Duration.ZERO} runs no background thread at all (no relay, no lease renewal, no quick
         * dispatch after a caller's commit): only for tests that drive everything with {@link #relayNow()}.
         */
        public Builder relayInterval(Duration interval) {
            this.relayInterval = interval;
            return this;
        }

        /**
         * How long after its commit an undispatched attempt is left to its own dispatch before the relay takes it. Defaults
         * to 5 s. A new operation waiting for a fast-path worker of this node is dispatched after half of it.
         */
        public Builder dispatchGrace(Duration grace) {
            this.dispatchGrace = grace;
            return this;
        }

        /**
         * Lets a worker run an operation's next step itself when it is due at once (see {@link FastPath}); definitions
         * may override it with {@link Flow#fastPath}. Defaults to {@link FastPath#off()}: every step its own job.
         */
        public Builder fastPath(FastPath fastPath) {
            this.fastPath = Objects.requireNonNull(fastPath, "fastPath");
            return this;
        }

        /**
         * How many fast-path turns (workers running an operation's steps one after another) this node starts for newly
         * enqueued operations before it keeps further ones for a running turn instead of dispatching each (with JobRunr,
         * a job per operation). Below this count a new operation is dispatched, and starts a turn of its own; at or
         * above it, it waits for the first turn that finishes its operation (if no turn takes anything for 50 ms, this
         * many of the waiting ones are dispatched; see {@link FastPath}). Fewer turns give a lower latency per step,
         * more give more throughput until the processors or the database are busy; steps that mostly wait (HTTP calls)
         * want more. Defaults to twice this machine's available processors (docs/benchmarks.md, "Why the fast path's
         * defaults", has the measurements).
         */
        public Builder fastPathTurns(int turns) {
            if (turns < 1) throw new ConfigurationException("fastPathTurns must be at least 1, was " + turns);
            this.fastPathTurns = turns;
            return this;
        }

        /**
         * How long a worker on a fast-path turn that has finished its operation, and finds no newly enqueued one waiting
         * for it, waits for one before it returns to the dispatcher (its worker then free for other jobs). Defaults to
         * 10 ms; zero returns at once. why: a turn that returned at once would be started again by the next enqueue,
         * through the dispatcher (docs/benchmarks.md, "Why the fast path's defaults").
         */
        public Builder fastPathLinger(Duration linger) {
            this.fastPathLinger = linger;
            return this;
        }

        /**
         * How long finished operations (COMPLETED, FAILED, EXPIRED, CANCELLED) are kept before the relay deletes them
         * with their attempts, errors and signals (standard_procedure_operations' {@code delete_after}). Defaults to 90
         * days; {@code null} keeps them for ever.
         */
        public Builder retention(Duration retention) {
            if (retention != null && (retention.isNegative() || retention.isZero())) {
                throw new ConfigurationException("retention must be positive, or null to keep operations for ever; was " + retention);
            }
            this.retention = retention;
            return this;
        }

        /**
         * How long {@link DurableOps#close()} lets the steps this node runs finish before it hands them back uncounted to
         * other nodes (or the next start). Defaults to 30 s; zero hands them back at once.
         */
        public Builder drainTimeout(Duration timeout) {
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * How long no live node may have the step an operation is at (a deploy renamed or removed it, or its version)
         * before the operation is PAUSED with the reason. Defaults to 5 minutes: long enough for a rolling deploy, whose old
         * nodes still have the step, to finish. See docs/upgrading.md.
         */
        public Builder strandedGrace(Duration grace) {
            this.strandedGrace = grace;
            return this;
        }

        /**
         * Whether log lines print the messages of failures and the reasons steps give, which are user data (they are
         * encrypted at rest for that reason). Defaults to false: a log line names the exception's class, the operation,
         * step and attempt. For development only; it applies to every runtime of the JVM.
         */
        public Builder logUserData(boolean on) {
            this.logUserData = on;
            return this;
        }

        /**
         * Reports each step as a Micrometer {@code Observation} ({@code durable.ops.step}): a timer, and with a tracing
         * handler a span that continues the trace the operation was enqueued in. Needs {@code io.micrometer:micrometer-observation}.
         * See docs/observability.md.
         */
        public Builder observationRegistry(io.micrometer.observation.ObservationRegistry registry) {
            this.observations = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /**
         * Counts operations started and ended, retries, and reports the backlog, PAUSED operations, start lag and relay
         * passes on this registry; without an {@link #observationRegistry}, steps are timed here too. Needs
         * {@code io.micrometer:micrometer-core}. See docs/observability.md.
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.meters = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Whether {@link #build()} runs Durable Ops' Flyway migrations. Defaults to true. */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        public DurableOps build() {
            List<String> problems = new ArrayList<>();
            if (dataSource == null) problems.add("dataSource(...) is required");
            if (encryptor == null) problems.add("encryptor(...) is required: AesGcmEncryptor.of(keyId, base64Key), or Encryptor.plaintext() to store data unencrypted on purpose");
            if (dispatcherFactory == null) problems.add("dispatcher(...) is required: JobRunrDispatcher.using(...) from durable-ops-jobrunr, or new ManualDispatcher(clock) in tests");
            if (name == null || name.isBlank()) problems.add("name(...) must not be blank");
            if (lease == null || lease.compareTo(Duration.ofSeconds(1)) < 0) problems.add("lease(...) must be at least 1 s, was " + lease);
            if (relayInterval == null || relayInterval.isNegative()) problems.add("relayInterval(...) must be zero (off) or positive, was " + relayInterval);
            else if (!relayInterval.isZero() && relayInterval.compareTo(Duration.ofMillis(1)) < 0) problems.add("relayInterval(...) must be zero (off) or at least 1 ms, was " + relayInterval);
            if (dispatchGrace == null || dispatchGrace.isNegative()) problems.add("dispatchGrace(...) must not be negative, was " + dispatchGrace);
            if (fastPathLinger == null || fastPathLinger.isNegative()) problems.add("fastPathLinger(...) must not be negative, was " + fastPathLinger);
            if (drainTimeout == null || drainTimeout.isNegative()) problems.add("drainTimeout(...) must not be negative, was " + drainTimeout);
            if (strandedGrace == null || strandedGrace.isNegative()) problems.add("strandedGrace(...) must not be negative, was " + strandedGrace);
            if (!problems.isEmpty()) throw new ConfigurationException("Durable Ops is not configured correctly:\n  - " + String.join("\n  - ", problems));
            io.durableops.core.internal.Logs.userData(logUserData);
            DurableOps ops = new DurableOps(this);
            built = true;
            return ops;
        }
    }
}
