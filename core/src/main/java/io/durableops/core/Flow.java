package io.durableops.core;

import java.time.Duration;

/**
 * The builder an {@link OperationDefinition} declares its steps with. Steps run in the order they are declared
 * within their branch unless a step names another one. Every step name is unique across the whole flow.
 *
 * <pre>{@code
 * flow.requires("subscriptionId")
 *     .action("charge-card", ctx -> ...)
 *     .decision("which-plan", ctx -> ctx.get("plan", String.class).equals("red"), "setup-red", "setup-blue")
 *     .branch("red").action("setup-red", ctx -> ..., StepOptions.then("send-receipt"))
 *     .branch("blue").action("setup-blue", ctx -> ..., StepOptions.then("send-receipt"))
 *     .branch("main")
 *     .action("send-receipt", ctx -> ..., StepOptions.delay(Duration.ofMinutes(10)))
 *     .result("done", (ctx, results) -> results.put("chargeId", ctx.get("chargeId", String.class)));
 * }</pre>
 *
 * The definition is checked when it is registered: unknown targets, duplicate names and steps from which no result
 * can be reached are reported together in one {@link DefinitionException}.
 */
public interface Flow {
    /** The name of the branch steps belong to until {@link #branch(String)} is called. */
    String MAIN = "main";

    /** Inputs that must be present when the operation is enqueued; a missing one is a {@link MissingInputException}. */
    Flow requires(String... inputs);

    /** The first step. Defaults to the first step declared in the main branch. */
    Flow startsWith(String step);

    /** Steps declared after this call belong to {@code branch} (back_ops' branches), until the next call. */
    Flow branch(String branch);

    /** A step that runs code, then continues with the next step of its branch. */
    default Flow action(String name, Action action) {
        return action(name, action, StepOptions.defaults());
    }

    /** A step that runs code, with options: the next step, a delay before it runs, a retry policy. */
    Flow action(String name, Action action, StepOptions options);

    /** A step that evaluates {@code condition} and continues with {@code ifTrue} or {@code ifFalse}. */
    default Flow decision(String name, Condition condition, String ifTrue, String ifFalse) {
        return decision(name, condition, ifTrue, ifFalse, StepOptions.defaults());
    }

    /** As {@link #decision(String, Condition, String, String)} with a delay or retry policy for the decision itself. */
    Flow decision(String name, Condition condition, String ifTrue, String ifFalse, StepOptions options);

    /** A terminal step without results. */
    default Flow result(String name) {
        return result(name, (context, results) -> { });
    }

    /** A terminal step: the operation completes with what {@code handler} writes into its results. */
    default Flow result(String name, ResultHandler handler) {
        return result(name, handler, StepOptions.defaults());
    }

    Flow result(String name, ResultHandler handler, StepOptions options);

    /**
     * A step that waits until {@code condition} holds, evaluating it again every {@link WaitOptions#every} (and at once
     * when the operation receives a signal), durably: the wait survives restarts. On timeout it goes to
     * {@link WaitOptions#onTimeout} or fails the operation.
     */
    Flow waitUntil(String name, Condition condition, WaitOptions options);

    /**
     * A step that waits for the signal {@code signal} sent with {@link OperationScheduler#signal}. A signal sent before
     * the operation reaches this step is kept and consumed here. Its payload is stored in the global named by
     * {@link WaitOptions#storeAs} (default: the signal's name).
     */
    Flow awaitSignal(String name, String signal, WaitOptions options);

    /**
     * A step that waits until the child operations started by earlier steps ({@link StepContext#startChild}) have
     * finished: all of them (default), any one, or at least n. Their results are stored in the global named by
     * {@link WaitOptions#storeAs} (default {@code "children"}). A child that fails fails the wait, unless
     * {@link WaitOptions#onChildFailure} names a step.
     */
    Flow awaitChildren(String name, WaitOptions options);

    /**
     * Starts one child operation of {@code definition} with the input {@code input} computes, waits for it, and
     * continues with its results stored in the global named by {@link WaitOptions#storeAs} (default: the step's name).
     */
    Flow call(String name, String definition, ChildInput input, WaitOptions options);

    /**
     * Globals whose values are stored in clear (everything else is encrypted), so operations can be found by them with
     * {@link OperationScheduler#findBySearchAttribute}. Values are taken at enqueue and after every step.
     */
    Flow searchAttributes(String... globals);

    /**
     * A deadline for every operation of this definition, counted from enqueue: when it passes, the operation ends as
     * {@code onExpiry} ({@link OperationStatus#EXPIRED} or {@link OperationStatus#FAILED}) with the reason, and its
     * running children are cancelled. {@link EnqueueOptions#andDeadline} overrides it per operation.
     */
    Flow timeout(Duration timeout, OperationStatus onExpiry);

    /** Overrides the runtime's {@link FastPath} setting for this definition ({@link FastPath#off()} to turn it off). */
    Flow fastPath(FastPath fastPath);

    /**
     * Every step of this definition counts against {@code limit} (see {@link Limit}): global or per-node concurrency,
     * a rate, or at most n operations at once per key. One limit of each kind; a step may add its own
     * ({@link StepOptions#andLimit}).
     */
    Flow limit(Limit limit);

    /**
     * The priority of this definition's operations unless {@link EnqueueOptions#priority} says otherwise (default 0;
     * -1000 to 1000, higher first): when a limit frees a place, the waiting step of the highest priority takes it.
     */
    Flow priority(int priority);

    /**
     * A terminal step that fails the operation with {@code reason} (standard_procedure_operations' {@code fail_with}).
     * Use it as a decision's target: {@code .decision("authorised?", ..., "next", "unauthorised").failure("unauthorised", "user may not download")}.
     */
    Flow failure(String name, String reason);
}
