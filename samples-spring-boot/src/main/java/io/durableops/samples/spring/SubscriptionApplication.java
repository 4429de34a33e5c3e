package io.durableops.samples.spring;

import io.durableops.samples.subscription.Payments;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

import java.time.Duration;

/**
 * A small Spring Boot web application on Durable Ops: {@code POST /subscriptions} stores a subscription and starts its
 * fulfillment (charge the card, set up the plan, send the receipt) in one {@code @Transactional} method. Besides the
 * definition, the application declares no bean for Durable Ops or JobRunr: the starter builds everything from the
 * {@code DataSource} and {@code application.properties}.
 */
@SpringBootApplication
public class SubscriptionApplication {
    public static void main(String[] args) {
        SpringApplication.run(SubscriptionApplication.class, args);
    }

    // tag::definition-beans[]
    @Bean
    Payments payments() {
        return new Payments();
    }

    @Bean
    SubscriptionFulfillment subscriptionFulfillment(Payments payments, @Value("${app.receipt-delay:10m}") Duration receiptDelay) {
        return new SubscriptionFulfillment(payments, receiptDelay); // every OperationDefinition bean is registered
    }
    // end::definition-beans[]
}
