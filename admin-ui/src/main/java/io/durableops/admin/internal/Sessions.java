package io.durableops.admin.internal;

import io.durableops.admin.AdminUser;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Signed-in browser sessions of one admin UI, in memory: a random 256-bit id in an HttpOnly, SameSite=Lax cookie (see
 * {@code Guard}: Lax, so a link to an operation from an alert or a chat opens signed in; every state-changing request
 * also needs its session's CSRF token). Kept out of the servlet container's sessions so a host application's session
 * settings never matter. Lost on restart (users sign in again). Only a successful sign-in makes one: a visitor who has
 * not signed in holds no server state (see {@link Guard#preBinding}), so anonymous traffic can neither fill this map nor
 * evict anyone from it.
 */
final class Sessions {
    static final class Session {
        final String id;
        final AdminUser user;
        volatile Instant lastSeen;

        Session(String id, AdminUser user, Instant now) {
            this.id = id;
            this.user = user;
            this.lastSeen = now;
        }
    }

    static final int MAX_SESSIONS = 10_000;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration idleTimeout;
    private final Clock clock;

    Sessions(Duration idleTimeout, Clock clock) {
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    /** The live session of that id; {@code touch} false (a page refreshing itself) does not extend its idle time. */
    Optional<Session> find(String id, boolean touch) {
        if (id == null) return Optional.empty();
        Session session = sessions.get(id);
        if (session == null) return Optional.empty();
        Instant now = clock.instant();
        if (session.lastSeen.plus(idleTimeout).isBefore(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        if (touch) session.lastSeen = now;
        return Optional.of(session);
    }

    /** A new session, with a new id, for a user who just signed in (no session fixation). */
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

    private synchronized void purge() {
        Instant limit = clock.instant().minus(idleTimeout);
        sessions.values().removeIf(s -> s.lastSeen.isBefore(limit));
        // still full of live sessions: the least recently used one goes
        while (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream().min(Comparator.comparing(s -> s.lastSeen)).ifPresent(this::remove);
        }
    }
}
