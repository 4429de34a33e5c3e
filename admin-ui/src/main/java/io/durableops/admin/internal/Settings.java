package io.durableops.admin.internal;

import io.durableops.admin.Authenticator;
import io.durableops.admin.Role;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationScheduler;
import io.durableops.core.Schedules;

import java.time.Clock;
import java.time.Duration;

/**
 * The validated configuration of one admin UI. {@code anonymousRole} is null unless opened on purpose;
 * {@code clientAddressHeader} is null unless a proxy's header names the client; {@code refresh} zero turns the pages'
 * auto-refresh off; {@code schedules} is null when the UI was built without them ({@code AdminUi.builder(scheduler, admin)}
 * without {@code schedules(...)}): the schedules page then says so; {@code jobRunrDashboard} is JobRunr's dashboard's base
 * URL without a trailing slash, or null: attempts then link to no JobRunr job; {@code listBound} is the most
 * operations the list counts per status, {@code failuresBound} (at most {@code listBound}) how many of the newest
 * failures its failures panel groups.
 */
public record Settings(OperationScheduler scheduler, OperationAdmin admin, Authenticator authenticator, Role anonymousRole,
                       String basePath, boolean secureCookies, Duration sessionTimeout, String title, Clock clock,
                       String clientAddressHeader, Duration refresh, Schedules schedules,
                       String jobRunrDashboard, int listBound, int failuresBound) {
}
