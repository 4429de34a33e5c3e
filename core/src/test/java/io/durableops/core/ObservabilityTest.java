package io.durableops.core;

import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.TraceContext;
import io.durableops.core.test.TestDatabase;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static io.durableops.core.test.Definitions.define;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Metrics and traces through Micrometer, as an application would wire them: a meter registry, the Observation test
 * kit, and a real tracer (Brave through Micrometer Tracing) for the trace a child operation shares with its parent.
 */
class ObservabilityTest {
    static final String KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    final ManualDispatcher dispatcher = new ManualDispatcher(clock);
    final TestDatabase db = TestDatabase.h2();
    DurableOps ops;

    @AfterEach
    void close() {
        if (ops != null) ops.close();
        db.close();
    }

    private OperationDefinition threeStepsWithOneRetry() {
        AtomicInteger tries = new AtomicInteger();
        return define("fulfil", f -> f
                .action("charge", ctx -> { })
                .action("reserve", ctx -> {
                    if (tries.incrementAndGet() == 1) throw new IllegalStateException("warehouse busy");
                }, StepOptions.retry(RetryPolicy.fixed(2, Duration.ofSeconds(1))))
                .action("ship", ctx -> { })
                .result("done"));
    }

    private void runToEnd() {
        for (int i = 0; i < 100 && !dispatcher.pending().isEmpty(); i++) {
            dispatcher.runDue();
            dispatcher.pending().stream().map(r -> r.runAt()).min(Instant::compareTo).filter(clock.instant()::isBefore).ifPresent(clock::set);
        }
    }

    private DurableOps.Builder builder(OperationDefinition... definitions) {
        return DurableOps.builder().dataSource(db.dataSource()).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock).dispatcher(dispatcher)
                .relayInterval(Duration.ZERO).register(definitions);
    }

    @Test
    void aMeterRegistryAloneCountsOperationsRetriesAndTimesEveryStep() {
        MeterRegistry meters = new SimpleMeterRegistry();
        ops = builder(threeStepsWithOneRetry()).meterRegistry(meters).build();
        OperationId id = ops.scheduler().enqueue("fulfil", Map.of());
        runToEnd();
        ops.relayNow();
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);

        assertThat(meters.get("durable.ops.operations.started").tag("definition", "fulfil").counter().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.operations.ended").tag("definition", "fulfil").tag("status", "completed").counter().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.step.retries").tag("step", "reserve").counter().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.step").tag("durable.step", "reserve").tag("durable.outcome", "retried").timer().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.step").tag("durable.step", "reserve").tag("durable.outcome", "succeeded").timer().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.step").tag("durable.definition", "fulfil").timers()).extracting(t -> t.getId().getTag("durable.step"))
                .containsExactlyInAnyOrder("charge", "reserve", "reserve", "ship", "done");
        assertThat(meters.get("durable.ops.start.lag").tag("definition", "fulfil").timer().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.relay.pass").timer().count()).isEqualTo(1);
        assertThat(meters.get("durable.ops.backlog").gauge().value()).isZero();
        assertThat(meters.get("durable.ops.paused").gauge().value()).isZero();
    }

    @Test
    void theObservationTestKitSeesOneObservationPerTryWithItsOutcome() {
        TestObservationRegistry observations = TestObservationRegistry.create();
        ops = builder(threeStepsWithOneRetry()).observationRegistry(observations).build();
        OperationId id = ops.scheduler().enqueue("fulfil", Map.of());
        runToEnd();

        TestObservationRegistryAssert.assertThat(observations)
                .hasNumberOfObservationsWithNameEqualTo("durable.ops.step", 5)
                .hasNumberOfObservationsWithNameEqualTo("durable.ops.enqueue", 1)
                .hasAnObservation(o -> o.hasNameEqualTo("durable.ops.step")
                        .hasLowCardinalityKeyValue("durable.step", "reserve").hasLowCardinalityKeyValue("durable.outcome", "retried")
                        .hasHighCardinalityKeyValue("durable.operation.id", id.toString()).hasError())
                .hasAnObservation(o -> o.hasNameEqualTo("durable.ops.step").hasContextualNameEqualTo("fulfil / done")
                        .hasLowCardinalityKeyValue("durable.outcome", "succeeded"));
    }

    @Test
    void everyStepContinuesTheTraceItsOperationWasEnqueuedInAndAChildSharesItsParentsTrace() {
        List<MutableSpan> spans = new CopyOnWriteArrayList<>();
        Tracing tracing = Tracing.newBuilder().addSpanHandler(new SpanHandler() {
            @Override
            public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                spans.add(span);
                return true;
            }
        }).build();
        try {
            Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()), new BraveBaggageManager());
            BravePropagator propagator = new BravePropagator(tracing);
            ObservationRegistry observations = ObservationRegistry.create();
            observations.observationConfig().observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                    new DefaultTracingObservationHandler(tracer)));
            ops = builder(define("child", f -> f.action("work", ctx -> { }).result("done")),
                    define("parent", f -> f.action("spawn", ctx -> ctx.startChild("child", Map.of()))
                            .awaitChildren("join", WaitOptions.defaults()).result("done")))
                    .observationRegistry(observations).build();

            Span request = tracer.nextSpan().name("POST /orders").start();
            OperationId parent;
            try (Tracer.SpanInScope ignored = tracer.withSpan(request)) {
                parent = ops.scheduler().enqueue("parent", Map.of());
            } finally {
                request.end();
            }
            runToEnd();
            assertThat(ops.scheduler().get(parent).status()).isEqualTo(OperationStatus.COMPLETED);

            String trace = request.context().traceId();
            assertThat(spans).extracting(MutableSpan::name).contains("parent / spawn", "parent / join", "child / work", "child / done");
            assertThat(spans).as("every span of the operation and of its child is in the request's trace")
                    .allSatisfy(span -> assertThat(span.traceId()).isEqualTo(trace));
            MutableSpan work = spans.stream().filter(s -> "child / work".equals(s.name())).findFirst().orElseThrow();
            MutableSpan childEnqueue = spans.stream().filter(s -> "enqueue child".equals(s.name())).findFirst().orElseThrow();
            MutableSpan spawn = spans.stream().filter(s -> "parent / spawn".equals(s.name())).findFirst().orElseThrow();
            assertThat(childEnqueue.parentId()).as("the child was enqueued inside the parent's step").isEqualTo(spawn.id());
            assertThat(work.parentId()).as("the child's step continues its enqueue").isEqualTo(childEnqueue.id());
        } finally {
            tracing.close();
        }
    }
}
