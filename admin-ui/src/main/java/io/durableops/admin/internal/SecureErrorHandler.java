package io.durableops.admin.internal;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error responses (a request too malformed to reach Javalin: a bad URI, an ambiguous path, headers too
 * large) with the UI's security headers, for the UI on its own server.
 */
final class SecureErrorHandler extends ErrorHandler {
    SecureErrorHandler() {
        setShowStacks(false);
        setShowMessageInTitle(false);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Headers.ALL.forEach(response.getHeaders()::put);
        return super.handle(request, response, callback);
    }
}
