/**
 * A ride created exactly once per idempotency key, its writes in a transactional step (from acidic_job).
 */
package io.durableops.samples.rides;
