package io.durableops.core.internal.engine;

import io.durableops.core.AttemptStatus;
import io.durableops.core.OperationStatus;
import io.durableops.core.RetryPolicy;
import io.durableops.core.internal.Limits;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.internal.store.Rows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Records what a try that did not succeed leaves behind: a failure the retry policy judges, a permanent failure (flow
 * mistakes, undecryptable data, failWith), or, for a try cut short by this node's own shutdown, nothing at all: the
 * attempt is handed back ({@link HandBack#release}) without counting the try.
 */
final class Failures {
    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final Engine engine;
    private final Dispatch dispatch;
    private final Waits waits;
    private final HandBack handBack;

    Failures(Engine engine, Dispatch dispatch, HandBack handBack) {
        this.engine = engine;
        this.dispatch = dispatch;
        this.waits = new Waits(engine);
        this.handBack = handBack;
    }

    /**
     * Records a failed try: scheduled again by the retry policy, or, when retries are exhausted, the attempt and the
     * operation FAILED (waking a parent that waits for it). Nothing is recorded if the try is no longer this runner's
     * (it timed out, or an operator ended the operation meanwhile). Returns what the try came to: retried, failed,
     * handed-back or discarded.
     */
    String recordFailure(Loaded l, CompiledDefinition definition, StepDef step, Throwable failure) {
        if (handBack.interruptedByShutdown(failure)) {
            handBack.release(l, "its node was shutting down");
            return "handed-back";
        }
        Instant now = engine.now();
        int tries = l.attempt().attemptCount();
        RetryPolicy policy = step.options().retryPolicy();
        boolean retry = policy.shouldRetry(tries, failure);
        Instant at = now.plus(policy.delayAfter(tries, ThreadLocalRandom.current().nextDouble()));
        String errorClass = failure.getClass().getName();
        String reason = "step '" + step.name() + "' failed after " + tries + (tries == 1 ? " attempt" : " attempts")
                + " with " + errorClass + (retry ? "" : policy.shouldRetry(0, failure) ? "" : " (not retryable)");
        Rows.Error error = new Rows.Error(l.attempt().id(), tries, l.operation().id(), errorClass,
                engine.codec().sealText(Limits.cut(String.valueOf(failure.getMessage()), Limits.ERROR_TEXT)),
                engine.codec().sealText(Limits.cut(stackTrace(failure), Limits.ERROR_TEXT)), now);
        Recorded dispatchAfter = engine.tx().run("record failure of attempt " + l.attempt().id(), c -> {
            List<Rows.Pending> pending = new ArrayList<>();
            // why first: a failure ends the turn, and what follows (a retry, the operation FAILED) is told from the row
            engine.store().turns().catchUp(c, l.operation(), l.attempt().id(), now);
            if (retry) {
                if (!engine.store().rescheduleAfterFailure(c, l.attempt().id(), tries, errorClass, at, now)) return Recorded.NOTHING;
                pending.add(Rows.Pending.rescheduled(l.attempt(), definition.name(), at));
            } else {
                if (!engine.store().finishAttempt(c, l.attempt().id(), tries, AttemptStatus.FAILED, errorClass, reason, now)) return Recorded.NOTHING;
                if (engine.store().endOperation(c, l.operation().id(), l.attempt().id(), OperationStatus.FAILED, reason, now)) {
                    waits.wakeParent(c, l.operation().parentId(), now).ifPresent(pending::add);
                }
            }
            io.durableops.core.internal.store.ErrorStore.insertError(c, error);
            return new Recorded(true, pending);
        });
        if (dispatchAfter.recorded()) {
            LOG.warn("{} / {} (operation {}) failed on attempt {}: {}{}", definition.name(), step.name(), l.operation().id(), tries,
                    io.durableops.core.internal.Logs.describe(failure), retry ? "; retrying at " + at : "; the operation is FAILED");
        } else {
            LOG.debug("{} / {} (operation {}) attempt {} ended with {} after it was no longer its own (timed out, ended by "
                    + "an operator or recovered elsewhere); nothing recorded", definition.name(), step.name(), l.operation().id(), tries, io.durableops.core.internal.Logs.describe(failure));
        }
        dispatch.send(dispatchAfter.pending());
        if (!dispatchAfter.recorded()) return "discarded";
        if (retry) {
            engine.telemetry().retried(definition.name(), step.name());
            return "retried";
        }
        engine.telemetry().operationEnded(definition.name(), OperationStatus.FAILED.name());
        engine.awaits().ended(l.operation().id());
        return "failed";
    }

    /** Whether a failure was recorded, and what to dispatch after it. */
    private record Recorded(boolean recorded, List<Rows.Pending> pending) {
        static final Recorded NOTHING = new Recorded(false, List.of());
    }

    /** Ends the operation as FAILED with a reason and no retry: flow mistakes, undecryptable data, failWith. */
    void failPermanently(Loaded l, String reason, Throwable cause) {
        Instant now = engine.now();
        String errorClass = cause == null ? null : cause.getClass().getName();
        List<Rows.Pending> dispatchAfter = engine.tx().run("record permanent failure of attempt " + l.attempt().id(), c -> {
            List<Rows.Pending> pending = new ArrayList<>();
            // why first: a failure ends the turn, and what follows (a retry, the operation FAILED) is told from the row
            engine.store().turns().catchUp(c, l.operation(), l.attempt().id(), now);
            if (!engine.store().finishAttempt(c, l.attempt().id(), l.attempt().attemptCount(), AttemptStatus.FAILED, errorClass,
                    truncate(reason), now)) {
                return pending;
            }
            if (engine.store().endOperation(c, l.operation().id(), l.attempt().id(), OperationStatus.FAILED, truncate(reason), now)) {
                waits.wakeParent(c, l.operation().parentId(), now).ifPresent(pending::add);
            }
            if (cause != null) {
                io.durableops.core.internal.store.ErrorStore.insertError(c, new Rows.Error(l.attempt().id(), l.attempt().attemptCount(), l.operation().id(),
                        errorClass, engine.codec().sealText(Limits.cut(cause.getMessage(), Limits.ERROR_TEXT)),
                        engine.codec().sealText(Limits.cut(stackTrace(cause), Limits.ERROR_TEXT)), now));
            }
            return pending;
        });
        engine.telemetry().operationEnded(l.operation().definition(), OperationStatus.FAILED.name());
        LOG.warn("operation {} ({}) FAILED at step '{}'{}: {}", l.operation().id(), l.operation().definition(), l.attempt().step(),
                cause == null ? "" : " with " + cause.getClass().getName(), io.durableops.core.internal.Logs.userText(reason));
        dispatch.send(dispatchAfter);
        engine.awaits().ended(l.operation().id());
    }

    static String stackTrace(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    private static String truncate(String reason) {
        return Limits.truncate(reason);
    }
}
