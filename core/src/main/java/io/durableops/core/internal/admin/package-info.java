/**
 * Not supported API. The operator side: {@code AdminService} (queries, compare-and-set operator actions, bulk
 * actions) and its SQL in {@code AdminStore}, with the audit trail.
 */
package io.durableops.core.internal.admin;
