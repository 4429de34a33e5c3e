/**
 * Spring Boot auto-configuration of Durable Ops beside JobRunr's starter (see docs/spring-boot.md).
 */
package io.durableops.spring;
