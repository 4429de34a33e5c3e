package io.durableops.core;

import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.flow.FlowBuilder;
import io.durableops.core.internal.flow.StepDef;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A definition is checked as a whole when it is registered: every mistake is reported at start-up, together, in one
 * {@link DefinitionException}, never discovered by an operation in flight. No database is needed.
 */
class DefinitionValidationTest {
    private static final Action NOTHING = ctx -> { };

    /** The problems of a definition that must not compile. */
    private static List<String> problemsOf(Consumer<Flow> steps) {
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> FlowBuilder.compile(define("broken", steps)));
        assertThat(e).as("the definition should have been rejected").isNotNull();
        assertThat(e.getMessage()).startsWith("operation definition 'broken' is invalid:");
        e.problems().forEach(problem -> assertThat(e.getMessage()).contains(problem));
        return e.problems();
    }

    // ---- single mistakes ---------------------------------------------------------------------------------------

    @Test
    void aDuplicateStepNameIsRejectedNamingBothBranches() {
        List<String> problems = problemsOf(f -> f
                .action("charge", NOTHING)
                .branch("retry-path")
                .action("charge", NOTHING, StepOptions.then("done"))
                .branch(Flow.MAIN)
                .result("done"));

        assertThat(problems).containsExactly(
                "step 'charge' is declared twice (in branch 'main' and in branch 'retry-path'); step names must be unique");
    }

    @Test
    void anUnknownThenTargetIsRejectedListingTheKnownSteps() {
        List<String> problems = problemsOf(f -> f
                .action("a", NOTHING, StepOptions.then("nowhere"))
                .result("done"));

        assertThat(problems).containsExactly("action 'a' names step 'nowhere', which does not exist; known steps: a, done");
    }

    @Test
    void unknownDecisionTargetsAreEachRejected() {
        List<String> problems = problemsOf(f -> f
                .decision("paid?", ctx -> true, "ship", "refund")
                .result("done"));

        assertThat(problems).containsExactly(
                "decision 'paid?' names step 'ship', which does not exist; known steps: paid?, done",
                "decision 'paid?' names step 'refund', which does not exist; known steps: paid?, done");
    }

    @Test
    void anUnknownStartStepIsRejected() {
        List<String> problems = problemsOf(f -> f
                .startsWith("ghost")
                .action("a", NOTHING)
                .result("done"));

        assertThat(problems).containsExactly("startsWith(...) names step 'ghost', which does not exist; known steps: a, done");
    }

    @Test
    void anActionThatEndsItsBranchWithoutANextStepIsRejected() {
        List<String> problems = problemsOf(f -> f
                .decision("red?", ctx -> true, "setup-red", "done")
                .result("done")
                .branch("red")
                .action("setup-red", NOTHING));

        assertThat(problems).containsExactly("action 'setup-red' is the last step of branch 'red' and names no next step; "
                + "give it StepOptions.then(\"...\") or end the branch with a result");
    }

    @Test
    void aLoopWithoutExitIsRejectedForEveryStepInIt() {
        List<String> problems = problemsOf(f -> f
                .action("ping", NOTHING)
                .action("pong", NOTHING, StepOptions.then("ping"))
                .result("done"));

        assertThat(problems).containsExactlyInAnyOrder(
                "step 'ping' can reach no result or failure step: every path from it loops or stops",
                "step 'pong' can reach no result or failure step: every path from it loops or stops");
    }

    @Test
    void aLoopWithADecisionThatCanLeaveItIsAccepted() {
        CompiledDefinition compiled = FlowBuilder.compile(define("polling", f -> f
                .action("poll", NOTHING)
                .decision("ready?", ctx -> ctx.find("ready", Boolean.class).orElse(false), "done", "poll")
                .result("done")));

        assertThat(compiled.start()).isEqualTo("poll");
        assertThat(compiled.step("poll").orElseThrow().next()).isEqualTo("ready?");
        assertThat(compiled.step("ready?").orElseThrow().ifFalse()).isEqualTo("poll");
    }

    @Test
    void aFailureStepEndsAFlowAsWellAsAResult() {
        CompiledDefinition compiled = FlowBuilder.compile(define("guarded", f -> f
                .decision("authorised?", ctx -> false, "download", "unauthorised")
                .failure("unauthorised", "user may not download")
                .branch("ok")
                .result("download")));

        StepDef failure = compiled.step("unauthorised").orElseThrow();
        assertThat(failure.kind()).isEqualTo(StepDef.Kind.FAILURE);
        assertThat(failure.failureReason()).isEqualTo("user may not download");
        assertThat(failure.options().retryPolicy().maxAttempts()).isEqualTo(1);
    }

    @Test
    void aDefinitionWithoutStepsIsRejected() {
        assertThat(problemsOf(f -> f.requires("x"))).containsExactly("it declares no steps");
    }

    @Test
    void blankStepBranchAndInputNamesAreRejected() {
        List<String> problems = problemsOf(f -> f
                .requires("orderId", " ")
                .action("  ", NOTHING)
                .branch("")
                .decision("", ctx -> true, "done", "done")
                .result("done"));

        assertThat(problems).containsExactlyInAnyOrder(
                "requires(...) was given a blank input name",
                "a step (action) has a blank name",
                "branch(...) was given a blank name",
                "a step (decision) has a blank name");
    }

    @Test
    void aBlankDefinitionNameIsRejected() {
        assertThatThrownBy(() -> FlowBuilder.compile(define(" ", f -> f.result("done"))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining(".name() is blank");
    }

    @Test
    void aBlankThenTargetIsRejectedWhenTheOptionsAreBuilt() {
        assertThatThrownBy(() -> StepOptions.then(" "))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("then(...) needs a step name");
    }

    @Test
    void decisionsAndResultsCannotHaveAThenTarget() {
        List<String> problems = problemsOf(f -> f
                .decision("d", ctx -> true, "done", "done", StepOptions.then("done"))
                .result("done", (ctx, results) -> { }, StepOptions.then("d")));

        assertThat(problems).containsExactly(
                "decision 'd' has StepOptions.then(...); a decision goes to ifTrue or ifFalse",
                "result 'done' has StepOptions.then(...); a result ends the operation");
    }

    @Test
    void aFailureStepNeedsAReasonAndAVersionMustBePositive() {
        OperationDefinition versionZero = new OperationDefinition() {
            @Override
            public String name() {
                return "v0";
            }

            @Override
            public int version() {
                return 0;
            }

            @Override
            public void define(Flow flow) {
                flow.failure("stop", " ");
            }
        };

        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> FlowBuilder.compile(versionZero));
        assertThat(e.problems()).containsExactly("failure 'stop' needs a reason", "version() must be at least 1, was 0");
    }

    @Test
    void anExceptionThrownByDefineBecomesAProblem() {
        List<String> problems = problemsOf(f -> {
            throw new IllegalStateException("payments client not configured");
        });

        assertThat(problems).singleElement().asString()
                .startsWith("define(Flow) threw ")
                .contains("payments client not configured");
    }

    // ---- many mistakes at once --------------------------------------------------------------------------------

    @Test
    void everyProblemIsReportedTogetherInOneException() {
        DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> FlowBuilder.compile(define("messy", f -> f
                .action("a", NOTHING, StepOptions.then("missing"))
                .action("a", NOTHING)
                .action(" ", NOTHING)
                .result("done")
                .branch("side")
                .action("dangling", NOTHING))));

        assertThat(e.problems()).containsExactlyInAnyOrder(
                "a step (action) has a blank name",
                "step 'a' is declared twice (in branch 'main' and in branch 'main'); step names must be unique",
                "action 'dangling' is the last step of branch 'side' and names no next step; "
                        + "give it StepOptions.then(\"...\") or end the branch with a result",
                "action 'a' names step 'missing', which does not exist; known steps: a, done, dangling");
        assertThat(e.getMessage()).isEqualTo("operation definition 'messy' is invalid:\n  - " + String.join("\n  - ", e.problems()));
        assertThat(e.problems()).as("the list handed out is a copy that cannot be changed")
                .isUnmodifiable();
    }

    // ---- registration of several definitions -------------------------------------------------------------------

    @Test
    void twoDefinitionsWithTheSameNameAndVersionAreAConfigurationError() {
        OperationDefinition first = define("refund", f -> f.result("done"));
        OperationDefinition second = define("refund", f -> f.action("x", NOTHING).result("done"));

        assertThatThrownBy(() -> new Definitions(List.of(first, second)))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("two definitions are registered as 'refund' version 1; a name and version must be unique "
                        + "(register a new version with a higher version())");
    }

    @Test
    void versionsSideBySideResolveEachStepToItsOwnVersionOrTheLatestThatHasIt() {
        Definitions definitions = new Definitions(List.of(
                OperationDefinition.of("refund", 1, f -> f.action("old-check", NOTHING).action("pay", NOTHING).result("done")),
                OperationDefinition.of("refund", 2, f -> f.action("check", NOTHING).action("pay", NOTHING).result("done"))));
        assertThat(definitions.get("refund").version()).as("new operations start on the latest").isEqualTo(2);
        assertThat(definitions.resolve("refund", 1, "pay").orElseThrow().version()).as("its own version has it").isEqualTo(1);
        assertThat(definitions.resolve("refund", 1, "check").orElseThrow().version()).isEqualTo(2);
        assertThat(definitions.resolve("refund", 3, "pay")).as("a newer version's operation is left to nodes that have it").isEmpty();
        Definitions dropped = new Definitions(List.of(
                OperationDefinition.of("refund", 2, f -> f.action("check", NOTHING).action("pay", NOTHING).result("done"))));
        assertThat(dropped.resolve("refund", 1, "pay").orElseThrow().version()).as("an older version, dropped: the latest that has it")
                .isEqualTo(2);
        assertThat(definitions.resolve("refund", 1, "gone")).isEmpty();
        assertThat(definitions.resolve("charge", 1, "pay")).isEmpty();
        assertThat(definitions.versions("refund")).containsExactly(1, 2);
    }

    @Test
    void registeredDefinitionsAreFoundByNameAndAnUnknownOneNamesTheRegisteredOnes() {
        Definitions definitions = new Definitions(List.of(define("refund", f -> f.result("done")),
                define("charge", f -> f.result("charged"))));

        assertThat(definitions.names()).containsExactlyInAnyOrder("refund", "charge");
        assertThat(definitions.get("charge").start()).isEqualTo("charged");
        assertThat(definitions.find("nope")).isEmpty();
        assertThatThrownBy(() -> definitions.get("nope"))
                .isInstanceOf(UnknownDefinitionException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("[charge, refund]");
    }

    @Test
    void anInvalidDefinitionFailsRegistrationOfTheWholeSet() {
        assertThatThrownBy(() -> new Definitions(List.of(define("fine", f -> f.result("done")),
                define("broken", f -> f.action("a", NOTHING)))))
                .isInstanceOf(DefinitionException.class)
                .hasMessageContaining("'broken'")
                .hasMessageContaining("action 'a' is the last step of branch 'main'");
    }

    // ---- a valid flow -------------------------------------------------------------------------------------------

    @Test
    void aValidFlowWithBranchesCompilesAndFallsThroughInDeclarationOrder() {
        OperationDefinition subscription = new OperationDefinition() {
            @Override
            public String name() {
                return "subscription-fulfillment";
            }

            @Override
            public int version() {
                return 3;
            }

            @Override
            public void define(Flow flow) {
                flow.requires("subscriptionId", "plan")
                        .action("charge-card", NOTHING)
                        .decision("which-plan", ctx -> true, "setup-red", "setup-blue")
                        .branch("red")
                        .action("setup-red", NOTHING)
                        .action("notify-red", NOTHING, StepOptions.then("send-receipt"))
                        .branch("blue")
                        .action("setup-blue", NOTHING, StepOptions.then("send-receipt"))
                        .branch(Flow.MAIN)
                        .action("send-receipt", NOTHING, StepOptions.delay(Duration.ofMinutes(10)))
                        .result("done");
            }
        };

        CompiledDefinition compiled = FlowBuilder.compile(subscription);

        assertThat(compiled.name()).isEqualTo("subscription-fulfillment");
        assertThat(compiled.version()).isEqualTo(3);
        assertThat(compiled.requiredInputs()).containsExactly("subscriptionId", "plan");
        assertThat(compiled.start()).isEqualTo("charge-card");
        assertThat(compiled.branches()).containsOnlyKeys("main", "red", "blue");
        assertThat(compiled.branches().get("main")).containsExactly("charge-card", "which-plan", "send-receipt", "done");
        assertThat(compiled.branches().get("red")).containsExactly("setup-red", "notify-red");
        assertThat(compiled.firstOf("blue")).contains("setup-blue");
        assertThat(compiled.firstOf("green")).isEmpty();

        assertThat(next(compiled, "charge-card")).isEqualTo("which-plan");
        assertThat(next(compiled, "setup-red")).as("falls through within its own branch").isEqualTo("notify-red");
        assertThat(next(compiled, "notify-red")).isEqualTo("send-receipt");
        assertThat(next(compiled, "setup-blue")).isEqualTo("send-receipt");
        assertThat(next(compiled, "send-receipt")).as("main resumes after the other branches").isEqualTo("done");
        assertThat(compiled.step("send-receipt").orElseThrow().options().startDelay()).isEqualTo(Duration.ofMinutes(10));
        assertThat(compiled.step("which-plan").orElseThrow().next()).as("a decision has no default next").isNull();
        assertThat(compiled.step("done").orElseThrow().isTerminal()).isTrue();
    }

    @Test
    void theStartIsTheFirstMainStepUnlessStartsWithNamesAnother() {
        CompiledDefinition mainFirst = FlowBuilder.compile(define("main-first", f -> f
                .branch("side").action("side-step", NOTHING, StepOptions.then("done"))
                .branch(Flow.MAIN).action("main-step", NOTHING).result("done")));
        CompiledDefinition noMain = FlowBuilder.compile(define("no-main", f -> f
                .branch("only").action("first", NOTHING).result("done")));
        CompiledDefinition explicit = FlowBuilder.compile(define("explicit", f -> f
                .startsWith("done").action("a", NOTHING).result("done")));

        assertThat(mainFirst.start()).isEqualTo("main-step");
        assertThat(noMain.start()).isEqualTo("first");
        assertThat(explicit.start()).isEqualTo("done");
    }

    // ---- the runtime's own settings --------------------------------------------------------------------------

    @Test
    void buildingWithoutRequiredSettingsNamesEveryMissingOne() {
        assertThatThrownBy(() -> DurableOps.builder().build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Durable Ops is not configured correctly:")
                .hasMessageContaining("dataSource(...) is required")
                .hasMessageContaining("encryptor(...) is required: AesGcmEncryptor.of(keyId, base64Key), or Encryptor.plaintext()")
                .hasMessageContaining("dispatcher(...) is required: JobRunrDispatcher.using(...)");
    }

    @Test
    void buildingValidatesBeforeTouchingTheDataSource() {
        DataSource untouchable = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{DataSource.class},
                (proxy, method, args) -> {
                    throw new AssertionError("the data source was used before the settings were validated: " + method.getName());
                });
        ManualDispatcher dispatcher = new ManualDispatcher(new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));

        assertThatThrownBy(() -> DurableOps.builder().dataSource(untouchable).dispatcher(dispatcher).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("encryptor(...) is required")
                .hasMessageNotContaining("dataSource(...)")
                .hasMessageNotContaining("dispatcher(...)");
        assertThatThrownBy(() -> DurableOps.builder().dataSource(untouchable).encryptor(Encryptor.plaintext()).dispatcher(dispatcher)
                .name(" ").lease(Duration.ofMillis(500)).relayInterval(Duration.ofSeconds(-1)).dispatchGrace(Duration.ofSeconds(-1))
                .fastPathLinger(Duration.ofMillis(-1)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("name(...) must not be blank")
                .hasMessageContaining("lease(...) must be at least 1 s, was PT0.5S")
                .hasMessageContaining("relayInterval(...) must be zero (off) or positive, was PT-1S")
                .hasMessageContaining("dispatchGrace(...) must not be negative, was PT-1S")
                .hasMessageContaining("fastPathLinger(...) must not be negative, was PT-0.001S");
    }

    @Test
    void aRelayIntervalBelowOneMillisecondIsRefusedBeforeAnythingStarts() {
        ManualDispatcher dispatcher = new ManualDispatcher(new MutableClock(Instant.parse("2026-11-21T10:00:00Z")));

        // why: the relay schedules in whole milliseconds, and a zero period would throw after the dispatcher started
        assertThatThrownBy(() -> DurableOps.builder().encryptor(Encryptor.plaintext()).dispatcher(dispatcher)
                .relayInterval(Duration.ofNanos(500)).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("relayInterval(...) must be zero (off) or at least 1 ms, was PT0.0000005S");
    }

    private static String next(CompiledDefinition compiled, String step) {
        return compiled.step(step).orElseThrow().next();
    }
}
