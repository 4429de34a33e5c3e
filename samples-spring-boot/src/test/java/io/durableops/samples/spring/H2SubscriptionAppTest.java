package io.durableops.samples.spring;

/** The sample on the H2 database Spring Boot makes when no URL is set. */
class H2SubscriptionAppTest extends SubscriptionAppContractTest {
}
