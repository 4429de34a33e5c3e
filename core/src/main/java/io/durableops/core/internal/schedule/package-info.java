/**
 * Not supported API. Cron expressions of schedules, read in a time zone.
 */
package io.durableops.core.internal.schedule;
