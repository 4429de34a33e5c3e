/**
 * The Spring Boot sample: a web application whose only Durable Ops bean is its definition; the starter builds the
 * runtime and JobRunr from the {@code DataSource} and {@code application.properties}. A controller starts
 * subscriptions and shows their operations; the subscription row and its operation commit in one transaction.
 */
package io.durableops.samples.spring;
