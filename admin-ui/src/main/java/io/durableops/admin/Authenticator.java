package io.durableops.admin;

import io.javalin.http.Context;

import java.util.Optional;

/**
 * Decides who a request comes from. Implement {@link #login} to check names and passwords against your own store
 * ({@link PasswordUsers} is the built-in one), or {@link #fromRequest} to trust what an SSO proxy or your own
 * application already established (a header set by the proxy, your app's session). Return empty to refuse.
 */
public interface Authenticator {
    /** Checks the name and password of the login form or of an API call's HTTP Basic header. */
    default Optional<AdminUser> login(String username, char[] password) {
        return Optional.empty();
    }

    /**
     * Recognises a request that is already authenticated upstream, before any login. Called on every request; a
     * browser session is still created for it, so state-changing requests keep their CSRF protection.
     */
    default Optional<AdminUser> fromRequest(Context ctx) {
        return Optional.empty();
    }
}
