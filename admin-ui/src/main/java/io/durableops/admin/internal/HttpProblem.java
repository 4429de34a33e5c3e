package io.durableops.admin.internal;

import java.time.Duration;

/**
 * Ends a request with an HTTP status and a message for the user (HTML page or JSON {@code error}); {@code retryAfter}
 * (429, 503) becomes a Retry-After header.
 */
final class HttpProblem extends RuntimeException {
    final int status;
    final Duration retryAfter;

    HttpProblem(int status, String message) {
        this(status, message, null);
    }

    HttpProblem(int status, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.retryAfter = retryAfter;
    }
}
