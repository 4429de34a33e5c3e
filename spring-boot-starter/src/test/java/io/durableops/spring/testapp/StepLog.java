package io.durableops.spring.testapp;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Which steps ran for which order, in order. */
@Component
public class StepLog {
    private final Map<String, List<String>> steps = new ConcurrentHashMap<>();

    void ran(String orderId, String step) {
        steps.computeIfAbsent(orderId, k -> new CopyOnWriteArrayList<>()).add(step);
    }

    public List<String> of(String orderId) {
        return List.copyOf(steps.getOrDefault(orderId, List.of()));
    }
}
