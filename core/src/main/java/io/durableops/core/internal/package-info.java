/**
 * Not supported API: the runtime's internals, which may change in any release without notice. Shared helpers
 * (daemon threads, size limits, log-safe descriptions of failures).
 */
package io.durableops.core.internal;
