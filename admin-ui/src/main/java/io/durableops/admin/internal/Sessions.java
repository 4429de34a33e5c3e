package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Browser sessions of one admin UI, in memory: a random 256-bit id in an HttpOnly, SameSite=Lax cookie (see
 * {@code Guard}: Lax, so a link to an operation from an alert or a chat opens signed in; every state-changing request
 * also needs its session's CSRF token). Kept out of the servlet container's sessions so a host application's session
 * settings never matter. Lost on restart (users sign in again).
 */
final class Sessions {
    static final class Session {
        final String id;
        volatile AdminUser user;
        volatile Instant lastSeen;
        volatile String flash;
        volatile boolean flashIsError;

        Session(String id, AdminUser user, Instant now) {
            this.id = id;
            this.user = user;
            this.lastSeen = now;
        }
    }

    private static final int MAX_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final Clock clock = Clock.systemUTC();

    Sessions(Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Session session = sessions.get(id);
        if (session == null) return Optional.empty();
        Instant now = clock.instant();
        if (session.lastSeen.plus(idleTimeout).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        session.lastSeen = now;
        return Optional.of(session);
    }

    /** A new session; a signed-in user always gets a new id (no session fixation). */
    Session create(AdminUser user) {
        if (sessions.size() >= MAX_SESSIONS) purge();
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Session session = new Session(id, user, clock.instant());
        sessions.put(id, session);
        return session;
    }

    void remove(Session session) {
        sessions.remove(session.id);
    }

    private void purge() {
        Instant limit = clock.instant().minus(idleTimeout);
        sessions.values().removeIf(s -> s.lastSeen.isBefore(limit));
        if (sessions.size() >= MAX_SESSIONS) {
            // still full: drop the anonymous (not signed-in) ones first, they are only login pages
            sessions.values().removeIf(s -> s.user == null);
        }
    }
}
