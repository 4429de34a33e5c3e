package io.durableops.samples.spring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.admin.OperationQuery;
import io.durableops.samples.subscription.Payments;
import io.durableops.samples.subscription.SubscriptionFulfillment;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample application through its HTTP endpoints, on every database (one subclass each): a subscription is
 * fulfilled; one that its transaction rolls back leaves no operation and charges nothing.
 */
@SpringBootTest(properties = {"durable-ops.encryption.keys.2026-12=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "app.receipt-delay=500ms", "durable-ops.relay-interval=200ms"})
@AutoConfigureMockMvc
@DirtiesContext
abstract class SubscriptionAppContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    MockMvc http;
    @Autowired
    Payments payments;
    @Autowired
    OperationAdmin admin;

    @Test
    void aSubscriptionIsFulfilled() throws Exception {
        String email = "ada-" + UUID.randomUUID() + "@example.com";

        JsonNode accepted = subscribe(email, "red", 202);
        String operation = "/subscriptions/operations/" + accepted.get("operationId").asText();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.perform(get(operation))
                .andExpect(status().isOk()).andExpect(jsonPath("$.status").value("COMPLETED")));
        http.perform(get(operation)).andExpect(jsonPath("$.features").value("red: unlimited projects"))
                .andExpect(jsonPath("$.chargeId").value(org.hamcrest.Matchers.startsWith("ch_" + accepted.get("subscriptionId").asLong())));
    }

    @Test
    void aRolledBackSubscriptionLeavesNoOperationAndChargesNothing() throws Exception {
        String email = "grace-" + UUID.randomUUID() + "@example.com";
        subscribe(email, "blue", 202);
        long operations = admin.count(OperationQuery.builder().definition(SubscriptionFulfillment.NAME).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> payments.chargeCount() > 0);
        int charges = payments.chargeCount();

        subscribe(email, "red", 409); // enqueued, then rolled back with the subscription's row

        assertThat(admin.count(OperationQuery.builder().definition(SubscriptionFulfillment.NAME).build()))
                .as("operations after the rollback").isEqualTo(operations);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> payments.chargeCount() == charges);
    }

    @Test
    void healthShowsDurableOps() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> http.perform(get("/actuator/health"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.components.durableOps.status").value("UP")));
    }

    private JsonNode subscribe(String email, String plan, int expected) throws Exception {
        String body = JSON.writeValueAsString(new SubscriptionController.SubscriptionRequest(email, plan));
        String response = http.perform(post("/subscriptions").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is(expected)).andReturn().getResponse().getContentAsString();
        return JSON.readTree(response);
    }
}
