package io.durableops.admin.internal;

/** Ends a request with an HTTP status and a message for the user (HTML page or JSON {@code error}). */
final class HttpProblem extends RuntimeException {
    final int status;

    HttpProblem(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
