package io.durableops.admin.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one-time message shown after an action ("Retried."), kept per caller binding (a session, or the pre-login
 * cookie of an open UI) until the next page takes it. Bounded: past {@link #MAX} callers the oldest message is
 * dropped, which loses only that message.
 */
final class Flashes {
    record Flash(String message, boolean error) {
    }

    static final int MAX = 10_000;
    private final Map<String, Flash> flashes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Flash> eldest) {
            return size() > MAX;
        }
    };

    synchronized void put(String binding, String message, boolean error) {
        flashes.put(binding, new Flash(message, error));
    }

    /** The message for this binding, removed; null if none. */
    synchronized Flash take(String binding) {
        return flashes.remove(binding);
    }
}
