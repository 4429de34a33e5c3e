package io.durableops.spring;

import io.durableops.core.AttemptView;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationView;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The {@link OperationScheduler} bean: inside a Spring transaction (a {@code @Transactional} method, a
 * {@code TransactionTemplate}), {@code enqueue} and {@code enqueueAll} write the operation with the transaction's own
 * connection on Durable Ops' {@code DataSource}, as {@link OperationScheduler#enqueue(Connection, String, Map,
 * EnqueueOptions)} does: the operation exists if and only if that transaction commits, and nothing runs before the
 * commit. Outside a transaction they store and dispatch the operation at once, in a transaction of their own. Every
 * other method is the runtime's own.
 */
public final class SpringOperationScheduler implements OperationScheduler {
    private final OperationScheduler delegate;
    private final DataSource dataSource;

    public SpringOperationScheduler(OperationScheduler delegate, DataSource dataSource) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Whether a call here now joins a Spring transaction (the one that {@link DataSourceUtils} would use). */
    public static boolean inTransaction() {
        return TransactionSynchronizationManager.isActualTransactionActive();
    }

    @Override
    public OperationId enqueue(String definition, Map<String, ?> input, EnqueueOptions options) {
        if (!inTransaction()) return delegate.enqueue(definition, input, options);
        return withTransactionConnection(c -> delegate.enqueue(c, definition, input, options));
    }

    @Override
    public List<OperationId> enqueueAll(String definition, List<? extends Map<String, ?>> inputs, EnqueueOptions options) {
        // why also when empty: the runtime's own call checks the definition's name and stores nothing
        if (!inTransaction() || inputs.isEmpty()) return delegate.enqueueAll(definition, inputs, options);
        Objects.requireNonNull(options, "options");
        if (options.idempotencyKey().isPresent()) {
            throw new IllegalArgumentException("enqueueAll options must not carry an idempotency key: it names one operation; "
                    + "enqueue keyed operations one at a time");
        }
        // why one enqueue each: they all go into the caller's transaction, so all exist or none does, as enqueueAll promises
        return withTransactionConnection(c -> {
            List<OperationId> ids = new ArrayList<>(inputs.size());
            for (Map<String, ?> input : inputs) ids.add(delegate.enqueue(c, definition, input, options));
            return ids;
        });
    }

    @Override
    public OperationId enqueue(Connection connection, String definition, Map<String, ?> input, EnqueueOptions options) {
        return delegate.enqueue(connection, definition, input, options);
    }

    private <T> T withTransactionConnection(Function<Connection, T> work) {
        // why DataSourceUtils: it returns the connection the transaction manager bound to this DataSource (as
        // JdbcTemplate does), so the rows are written, committed and rolled back with the caller's own
        Connection c = DataSourceUtils.getConnection(dataSource);
        try {
            return work.apply(c);
        } finally {
            DataSourceUtils.releaseConnection(c, dataSource);
        }
    }

    @Override
    public void signal(OperationId id, String name, Object payload) {
        delegate.signal(id, name, payload);
    }

    @Override
    public OperationView await(OperationId id, Duration timeout) {
        return delegate.await(id, timeout);
    }

    @Override
    public CompletableFuture<OperationView> resultAsync(OperationId id) {
        return delegate.resultAsync(id);
    }

    @Override
    public List<String> pendingSignals(OperationId id) {
        return delegate.pendingSignals(id);
    }

    @Override
    public List<OperationId> findBySearchAttribute(String definition, String name, Object value) {
        return delegate.findBySearchAttribute(definition, name, value);
    }

    @Override
    public Optional<OperationView> find(OperationId id) {
        return delegate.find(id);
    }

    @Override
    public List<AttemptView> attempts(OperationId id) {
        return delegate.attempts(id);
    }

    @Override
    public void retry(OperationId id) {
        delegate.retry(id);
    }

    @Override
    public void expire(OperationId id) {
        delegate.expire(id);
    }

    @Override
    public void fail(OperationId id, String reason) {
        delegate.fail(id, reason);
    }

    @Override
    public void cancel(OperationId id) {
        delegate.cancel(id);
    }

    @Override
    public void runNow(OperationId id) {
        delegate.runNow(id);
    }
}
