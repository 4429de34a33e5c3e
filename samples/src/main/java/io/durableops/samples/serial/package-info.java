/**
 * Plan changes under limits: one at a time and in order per customer, a few at once across nodes, a rate per minute.
 */
package io.durableops.samples.serial;
