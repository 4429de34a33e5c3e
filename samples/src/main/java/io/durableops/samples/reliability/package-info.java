/**
 * The worker side of the reliability suite ({@code reliability/run}): its workload, poison inputs and the evidence they
 * write.
 */
package io.durableops.samples.reliability;
