package io.durableops.admin.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Throttles failed sign-ins (login form and HTTP Basic alike), per user name and per client address. A user name may
 * fail {@link #USER_FREE} times and an address {@link #ADDRESS_FREE} times; each failure after that locks it for twice
 * as long as the one before, from {@link #FIRST_LOCK} up to {@link #MAX_LOCK}. While locked, a sign-in is refused
 * before its password is checked. A success clears its user's failures (not its address's); failures are forgotten
 * after {@link #FORGET} without one. Bounded in memory: past {@link #MAX_ENTRIES} names and addresses, those that are
 * not locked are dropped first.
 */
final class LoginThrottle {
    static final int USER_FREE = 5;
    static final int ADDRESS_FREE = 10;
    static final Duration FIRST_LOCK = Duration.ofSeconds(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(15);
    static final Duration FORGET = Duration.ofHours(1);
    static final int MAX_ENTRIES = 100_000;

    private static final class Entry {
        int failures;
        Instant last;
        Instant lockedUntil = Instant.MIN;
    }

    /** What a failure led to: {@code locked} when it began a lock of {@code lock}. */
    record Outcome(boolean locked, String what, int failures, Duration lock) {
    }

    private final Clock clock;
    private final Map<String, Entry> entries = new HashMap<>();

    LoginThrottle(Clock clock) {
        this.clock = clock;
    }

    /** How long this user name or address must still wait, or empty if it may try now. */
    synchronized Optional<Duration> wait(String user, String address) {
        Instant now = clock.instant();
        Instant until = max(lockedUntil(userKey(user), now), lockedUntil(addressKey(address), now));
        return until.isAfter(now) ? Optional.of(Duration.between(now, until)) : Optional.empty();
    }

    /** Counts a failed sign-in; the outcome says whether it locked the user name or the address, and for how long. */
    synchronized Outcome failed(String user, String address) {
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) purge(now);
        Outcome byUser = count(userKey(user), USER_FREE, now, "user name");
        Outcome byAddress = count(addressKey(address), ADDRESS_FREE, now, "address");
        if (byUser.locked() && byAddress.locked()) return byUser.lock().compareTo(byAddress.lock()) >= 0 ? byUser : byAddress;
        return byUser.locked() ? byUser : byAddress;
    }

    synchronized void succeeded(String user) {
        entries.remove(userKey(user));
    }

    private Outcome count(String key, int free, Instant now, String what) {
        Entry e = entries.get(key);
        if (e == null || e.last.plus(FORGET).isBefore(now)) {
            e = new Entry();
            entries.put(key, e);
        }
        e.failures++;
        e.last = now;
        if (e.failures < free) return new Outcome(false, what, e.failures, Duration.ZERO);
        int doublings = Math.min(e.failures - free, 30);
        Duration lock = FIRST_LOCK.multipliedBy(1L << doublings);
        if (lock.compareTo(MAX_LOCK) > 0) lock = MAX_LOCK;
        e.lockedUntil = now.plus(lock);
        return new Outcome(true, what, e.failures, lock);
    }

    private Instant lockedUntil(String key, Instant now) {
        Entry e = entries.get(key);
        return e == null || e.last.plus(FORGET).isBefore(now) ? Instant.MIN : e.lockedUntil;
    }

    private void purge(Instant now) {
        entries.values().removeIf(e -> e.last.plus(FORGET).isBefore(now));
        if (entries.size() >= MAX_ENTRIES) entries.values().removeIf(e -> !e.lockedUntil.isAfter(now));
    }

    private static String userKey(String user) {
        return "u:" + (user == null ? "" : user.strip().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "a:" + address;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    /** "3 s", "2 min": how long, rounded up to the second, for messages. */
    static String words(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        return s < 120 ? s + " s" : (s + 59) / 60 + " min";
    }
}
