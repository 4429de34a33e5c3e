/**
 * A parent operation that starts one child per document, waits for all of them and sums their results (parallel sub-
 * tasks).
 */
package io.durableops.samples.parallel;
