package io.durableops.samples.reliability;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.RetryPolicy;
import io.durableops.core.SerializationException;
import io.durableops.core.StepOptions;

import java.time.Duration;
import java.util.List;

/**
 * The definitions behind the reliability suite's poison input, as the workers have them. Each poison operation must
 * end in a visible state with a reason, never stuck and never silently dropped:
 * <ul>
 *   <li>{@link #SIMPLE}: a plain two-step flow; the driver enqueues some with a key the workers do not have, and
 *       overwrites the arguments of others with bytes that are not JSON;</li>
 *   <li>{@link #REDEPLOYED}: version 2 of a flow whose version 1 started at a step that this deploy removed;</li>
 *   <li>{@link #SHAPE}: reads its input as a record whose shape the input no longer has;</li>
 *   <li>{@link #ERROR}: throws an {@link Error} (not an exception);</li>
 *   <li>{@link #STACK_OVERFLOW}: overflows its stack (a {@code VirtualMachineError});</li>
 *   <li>{@link #HANG}: hangs far past its step timeout.</li>
 * </ul>
 */
public final class Poison {
    public static final String SIMPLE = "reliability-simple";
    public static final String REDEPLOYED = "reliability-redeployed";
    public static final String SHAPE = "reliability-shape";
    public static final String ERROR = "reliability-error";
    public static final String STACK_OVERFLOW = "reliability-stack-overflow";
    public static final String HANG = "reliability-hang";

    private static final RetryPolicy TWO_QUICK_TRIES = RetryPolicy.fixed(2, Duration.ofMillis(500));

    private Poison() {
    }

    /** The poison definitions as deployed on the workers. */
    public static List<OperationDefinition> definitions() {
        return List.of(
                define(SIMPLE, 1, flow -> flow.action("use-input", ctx -> ctx.set("seen", ctx.globals().keys().size())).result("done")),
                define(REDEPLOYED, 2, flow -> flow.action("start", ctx -> ctx.set("started", true)).result("done")),
                define(SHAPE, 1, flow -> flow.requires("customer")
                        .action("greet-customer", ctx -> ctx.set("greeting", "hello " + ctx.get("customer", Customer.class).name()),
                                StepOptions.retry(TWO_QUICK_TRIES.withNonRetryable(SerializationException.class)))
                        .result("done")),
                define(ERROR, 1, flow -> flow.action("assert-invariant", ctx -> {
                    throw new PoisonError("invariant broken for operation " + ctx.operationId());
                }, StepOptions.retry(TWO_QUICK_TRIES)).result("done")),
                define(STACK_OVERFLOW, 1, flow -> flow.action("recurse", ctx -> ctx.set("depth", recurse(0)),
                        StepOptions.retry(TWO_QUICK_TRIES)).result("done")),
                define(HANG, 1, flow -> flow.action("hang", ctx -> Thread.sleep(Duration.ofMinutes(10).toMillis()),
                        StepOptions.timeout(Duration.ofSeconds(2)).andRetry(TWO_QUICK_TRIES)).result("done")));
    }

    /** The shape the {@link #SHAPE} step reads its input as since the "redeploy"; old input was a plain string. */
    public record Customer(String name, int age) {
    }

    /** An {@link Error} thrown by user code: not an exception, and still recorded and retried like one. */
    public static final class PoisonError extends Error {
        public PoisonError(String message) {
            super(message);
        }
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }

    /** A definition from a name, a version and a flow, for the small flows above. */
    public static OperationDefinition define(String name, int version, java.util.function.Consumer<Flow> steps) {
        return OperationDefinition.of(name, version, steps);
    }
}
