/**
 * The testing kit: a settable clock, a dispatcher that runs what is due when a test says so, and testers that run one
 * step or a whole operation without JobRunr (see docs/testing.md).
 */
package io.durableops.core.testing;
