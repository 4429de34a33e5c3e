package io.durableops.core;

import java.time.Instant;

/** One recorded failure of an attempt: which try, the exception's class, message and full stack trace. */
public record ErrorView(int attempt, String errorClass, String message, String stackTrace, Instant occurredAt) {
}
