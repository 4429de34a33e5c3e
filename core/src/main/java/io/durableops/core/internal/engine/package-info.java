/**
 * Not supported API. The engine: {@code StepRunner} claims and runs an attempt and {@code Completion} records its
 * outcome in one transaction; {@code Relay} is the safety net (undispatched attempts, expired leases, deadlines,
 * schedules, limits); {@code Admission} holds limits; {@code HandOff} and {@code Worker} are the fast path.
 */
package io.durableops.core.internal.engine;
