/**
 * A nightly reconciliation on a cron schedule in a time zone, skipping a night while the previous run still goes.
 */
package io.durableops.samples.reconciliation;
