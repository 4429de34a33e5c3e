/**
 * The benchmark ({@code bench/run}, docs/benchmarks.md): raw JobRunr against Durable Ops on MariaDB and PostgreSQL,
 * history, EXPLAIN and A/B runs. Not a library: nothing here is API.
 */
package io.durableops.bench;
