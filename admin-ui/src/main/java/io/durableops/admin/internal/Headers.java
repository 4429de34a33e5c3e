package io.durableops.admin.internal;

import jakarta.servlet.http.HttpServletResponse;

import java.util.Map;

/**
 * The security headers every response of the UI carries: its pages, its API, its errors, and (standalone) the
 * server's own error responses.
 */
final class Headers {
    // one script of our own (assets/admin.js) and nothing inline: a value that escaped escaping still could not run
    static final String CSP = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    static final Map<String, String> ALL = Map.of(
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "same-origin",
            "Cache-Control", "no-store",
            "Cross-Origin-Opener-Policy", "same-origin",
            "Content-Security-Policy", CSP);

    private Headers() {
    }

    static void apply(HttpServletResponse res) {
        ALL.forEach(res::setHeader);
    }
}
