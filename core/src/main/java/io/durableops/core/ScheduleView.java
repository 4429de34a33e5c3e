package io.durableops.core;

import java.time.Instant;
import java.util.Optional;

/**
 * A stored schedule as it is now: what it starts and when, and what its ticks did.
 *
 * @param name           the schedule's name, unique in the database
 * @param definition     the definition each tick starts an operation of
 * @param schedule       when it ticks and its policies
 * @param paused         a paused schedule starts nothing; resumed, it ticks from then on (the ticks it missed are skipped)
 * @param nextTickAt     its next tick (empty while paused)
 * @param lastTickAt     the last tick that started an operation
 * @param lastOperation  the operation started by that tick, or by {@link Schedules#trigger}
 * @param bufferedTickAt a tick waiting for the previous operation to end ({@link Schedule.Overlap#BUFFER_ONE})
 * @param skippedTicks   ticks skipped so far: by the overlap policy, or missed beyond {@link Schedule#catchUp(int)}
 * @param pauseReason    why the schedule paused itself: its input no longer fits its definition (a deploy added a
 *                       required input) or cannot be decrypted; fix it with {@link Schedules#put}, then resume
 */
public record ScheduleView(String name, String definition, Schedule schedule, boolean paused, Optional<Instant> nextTickAt,
                           Optional<Instant> lastTickAt, Optional<OperationId> lastOperation, Optional<Instant> bufferedTickAt,
                           long skippedTicks, Optional<String> pauseReason) {
}
