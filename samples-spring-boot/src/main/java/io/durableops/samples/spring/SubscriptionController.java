package io.durableops.samples.spring;

import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationView;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code POST /subscriptions} starts a subscription; {@code GET /subscriptions/operations/{id}} shows how it goes. */
@RestController
public class SubscriptionController {
    private static final Set<String> PLANS = Set.of("red", "blue");

    private final Subscriptions subscriptions;
    private final OperationScheduler scheduler;

    public SubscriptionController(Subscriptions subscriptions, OperationScheduler scheduler) {
        this.subscriptions = subscriptions;
        this.scheduler = scheduler;
    }

    /** The request body: who subscribes, to which plan. */
    public record SubscriptionRequest(String email, String plan) {
    }

    @PostMapping("/subscriptions")
    public ResponseEntity<Map<String, Object>> subscribe(@RequestBody SubscriptionRequest request) {
        if (request.email() == null || request.email().isBlank() || !PLANS.contains(request.plan())) {
            return ResponseEntity.badRequest().body(Map.of("error", "email and a plan (red or blue) are required"));
        }
        Subscriptions.Subscribed subscribed = subscriptions.subscribe(request.email(), request.plan());
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("subscriptionId", subscribed.subscriptionId(),
                "operationId", subscribed.operationId().toString()));
    }

    @GetMapping("/subscriptions/operations/{id}")
    public ResponseEntity<Map<String, Object>> operation(@PathVariable UUID id) {
        return scheduler.find(new OperationId(id)).map(SubscriptionController::describe).map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    @ExceptionHandler(Subscriptions.AlreadySubscribedException.class)
    public ResponseEntity<Map<String, Object>> alreadySubscribed(Subscriptions.AlreadySubscribedException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", e.getMessage()));
    }

    private static Map<String, Object> describe(OperationView operation) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", operation.status().name());
        body.put("step", operation.currentStep());
        if (operation.results().has("chargeId")) {
            body.put("chargeId", operation.results().get("chargeId", String.class));
            body.put("features", operation.results().get("features", String.class));
        }
        return body;
    }
}
