package io.durableops.samples.subscription;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The demo's payment provider: in memory, deduplicates charges by idempotency key the way real providers do, and is
 * "down" for the first call of the subscriptions it is told to decline once, so the demo shows a retry.
 */
public final class Payments {
    private final Map<String, String> chargesByKey = new ConcurrentHashMap<>();
    private final Set<Long> declineOnce = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sequence = new AtomicInteger();

    public Payments declineOnceFor(long subscriptionId) {
        declineOnce.add(subscriptionId);
        return this;
    }

    public String charge(long subscriptionId, int cents, String idempotencyKey) {
        if (declineOnce.remove(subscriptionId)) {
            throw new IllegalStateException("payment provider unavailable (HTTP 503) for subscription " + subscriptionId);
        }
        return chargesByKey.computeIfAbsent(idempotencyKey, k -> "ch_" + subscriptionId + "_" + cents + "_" + sequence.incrementAndGet());
    }

    /** How many distinct charges were made. */
    public int chargeCount() {
        return chargesByKey.size();
    }
}
