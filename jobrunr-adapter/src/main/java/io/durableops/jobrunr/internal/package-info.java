/**
 * Not supported API: the JobRunr adapter's internals, which may change in any release without notice.
 */
package io.durableops.jobrunr.internal;
