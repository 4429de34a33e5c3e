/**
 * The reliability suite's driver ({@code reliability/run}, docs/operations-guide.md): traffic, kills, outages, old
 * deploys and operator races against worker processes, then an audit that nothing was lost or done twice. Not a
 * library.
 */
package io.durableops.reliability;
