package io.durableops.core.internal.telemetry;

import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link Telemetry} through Micrometer: each step an {@link Observation} (a timer and, with a tracing handler, a span
 * that continues the trace its operation was enqueued in), counters and gauges on the {@link MeterRegistry}. Loaded
 * only when the application gives the builder a registry, so Micrometer is an optional dependency.
 */
public final class MicrometerTelemetry implements Telemetry {
    /**
     * The carrier entries kept with an operation: W3C and B3 trace headers, ids only. why not the rest: a tracer's
     * baggage may carry user data, and these are stored in clear.
     */
    private static final Set<String> KEPT = Set.of("traceparent", "b3", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled");

    private final ObservationRegistry observations;
    private final MeterRegistry meters;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong paused = new AtomicLong();

    private MicrometerTelemetry(ObservationRegistry observations, MeterRegistry meters) {
        this.observations = observations;
        this.meters = meters;
        if (meters != null) {
            Gauge.builder("durable.ops.backlog", due, AtomicLong::get).description("attempts due and not started").register(meters);
            Gauge.builder("durable.ops.paused", paused, AtomicLong::get).description("operations PAUSED: no running node has their step")
                    .register(meters);
        }
    }

    /**
     * {@code observations} (may be null: then steps are timed on {@code meters}); {@code meters} (may be null: then only
     * observations are reported).
     */
    public static Telemetry create(Object observations, Object meters) {
        ObservationRegistry o = (ObservationRegistry) observations;
        MeterRegistry m = (MeterRegistry) meters;
        if (o == null) {
            o = ObservationRegistry.create();
            o.observationConfig().observationHandler(new DefaultMeterObservationHandler(m));
        }
        return new MicrometerTelemetry(o, m);
    }

    @Override
    public boolean isOn() {
        return true;
    }

    @Override
    public Map<String, String> enqueued(String definition) {
        Map<String, String> carrier = new LinkedHashMap<>();
        SenderContext<Map<String, String>> context = new SenderContext<>((c, key, value) -> {
            if (c != null && KEPT.contains(key.toLowerCase(Locale.ROOT))) c.put(key, value);
        }, Kind.PRODUCER);
        context.setCarrier(carrier);
        Observation.createNotStarted("durable.ops.enqueue", () -> context, observations)
                .contextualName("enqueue " + definition)
                .lowCardinalityKeyValue("durable.definition", definition)
                .observe(() -> { });
        return carrier;
    }

    @Override
    public Step step(String definition, String step, String operationId, String attemptId, int attempt, Map<String, String> trace) {
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((c, key) -> c == null ? null : c.get(key), Kind.CONSUMER);
        context.setCarrier(trace == null ? Map.of() : trace);
        Observation observation = Observation.createNotStarted("durable.ops.step", () -> context, observations)
                .contextualName(definition + " / " + step)
                .lowCardinalityKeyValues(KeyValues.of("durable.definition", definition, "durable.step", step))
                .highCardinalityKeyValues(KeyValues.of("durable.operation.id", operationId, "durable.attempt.id", attemptId,
                        "durable.attempt", String.valueOf(attempt)))
                .start();
        Observation.Scope scope = observation.openScope();
        return new Step() {
            private String outcome = "succeeded";

            @Override
            public void outcome(String outcome) {
                this.outcome = outcome;
            }

            @Override
            public void error(Throwable error) {
                observation.error(error);
            }

            @Override
            public void close() {
                observation.lowCardinalityKeyValue("durable.outcome", outcome);
                scope.close();
                observation.stop();
            }
        };
    }

    @Override
    public void operationStarted(String definition) {
        if (meters != null) Counter.builder("durable.ops.operations.started").tag("definition", definition).register(meters).increment();
    }

    @Override
    public void operationEnded(String definition, String status) {
        if (meters != null) {
            Counter.builder("durable.ops.operations.ended").tag("definition", definition).tag("status", status.toLowerCase(Locale.ROOT))
                    .register(meters).increment();
        }
    }

    @Override
    public void retried(String definition, String step) {
        if (meters != null) Counter.builder("durable.ops.step.retries").tag("definition", definition).tag("step", step).register(meters).increment();
    }

    @Override
    public void startLag(String definition, Duration lag) {
        if (meters != null) Timer.builder("durable.ops.start.lag").tag("definition", definition).register(meters).record(lag);
    }

    @Override
    public void relayPass(Duration took) {
        if (meters != null) Timer.builder("durable.ops.relay.pass").register(meters).record(took);
    }

    @Override
    public void backlog(long due, long paused) {
        this.due.set(due);
        this.paused.set(paused);
    }
}
