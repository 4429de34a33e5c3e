-- The trace context of the thread that enqueued an operation, so that each of its steps runs in a span continuing that
-- trace (docs/observability.md): W3C traceparent and B3 headers only, trace and span ids, stored in clear; never a
-- tracer's baggage, which may carry user data. NULL when no tracing was configured.
ALTER TABLE durable_operations ADD COLUMN trace_context VARCHAR(1000) ${binary};
