package io.durableops.core.test;

import io.durableops.core.Action;
import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DurableOps;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the admin suites share, in core and in the admin UI: a runtime on a real database with a thread-free
 * dispatcher and a settable clock, the data key, a journal of the steps that ran, and a payment provider that is down
 * until a test brings it back ({@link #charge}). A suite names its database and its definitions; one subclass per
 * database names the database.
 */
public abstract class AdminTestBase {
    /** The AES-256 data key of key id {@code k1}, base64. */
    public static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    /** Where the clock of a suite that does not start now starts. */
    public static final Instant START = Instant.parse("2026-11-21T10:00:00Z");

    protected final MutableClock clock;
    protected final ManualDispatcher dispatcher;
    protected final Journal journal = new Journal();
    /** While true, {@link #charge}'s step fails. */
    protected final AtomicBoolean providerDown = new AtomicBoolean(true);
    protected TestDatabase db;
    protected DurableOps ops;

    /** A suite whose clock starts at {@link #START}. */
    protected AdminTestBase() {
        this(new MutableClock(START));
    }

    protected AdminTestBase(MutableClock clock) {
        this.clock = clock;
        this.dispatcher = new ManualDispatcher(clock);
    }

    /** The database of this run (a subclass per database). */
    protected abstract TestDatabase database();

    /** The definitions the runtime registers. */
    protected abstract List<OperationDefinition> definitions();

    /** What a suite adds to the runtime's builder (nothing by default). */
    protected DurableOps.Builder configure(DurableOps.Builder builder) {
        return builder;
    }

    @BeforeEach
    protected void startRuntime() {
        db = database();
        ops = configure(DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock)
                .dispatcher(dispatcher).relayInterval(Duration.ZERO))
                .register(definitions())
                .build();
    }

    @AfterEach
    protected void closeRuntime() {
        if (ops != null) ops.close();
        if (db != null) db.close();
    }

    protected OperationAdmin admin() {
        return ops.admin();
    }

    /** The ids of the first page of {@code query}, in its order. */
    protected List<OperationId> ids(OperationQuery query) {
        return admin().list(query).items().stream().map(OperationSummary::id).toList();
    }

    /** A payment step: journaled as {@code charge-card}, failing with {@code message} while {@link #providerDown}. */
    protected Action charge(String message) {
        return ctx -> {
            journal.ran("charge-card");
            if (providerDown.get()) throw new IllegalStateException(message);
        };
    }
}
