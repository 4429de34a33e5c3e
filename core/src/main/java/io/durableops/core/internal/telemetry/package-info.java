/**
 * Not supported API. Metrics and traces through Micrometer's Observation API, loaded only when a registry is given.
 */
package io.durableops.core.internal.telemetry;
