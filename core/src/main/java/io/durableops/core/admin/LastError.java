package io.durableops.core.admin;

import java.time.Instant;
import java.util.Optional;

/**
 * The last recorded error of an operation's current attempt: the exception's class, and its message when it was asked
 * for (messages are stored encrypted and decrypted only on request; one that cannot be decrypted reads as the reason).
 */
public record LastError(String step, int attempt, String errorClass, Optional<String> message, Instant occurredAt) {
}
