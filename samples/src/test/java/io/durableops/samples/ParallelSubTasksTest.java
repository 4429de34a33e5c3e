package io.durableops.samples;

import io.durableops.core.OperationId;
import io.durableops.core.OperationView;
import io.durableops.samples.parallel.ParallelSubTasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ParallelSubTasksTest {
    @Test
    void childrenRunInParallelAndTheParentSumsTheirResults() {
        try (SampleHarness h = new SampleHarness(ParallelSubTasks.parent(Duration.ofMinutes(30)), ParallelSubTasks.child(String::length))) {
            OperationId id = h.ops.scheduler().enqueue(ParallelSubTasks.PARENT, Map.of("documents", List.of("intro", "methods", "results")));
            h.runToEnd();
            // the caller waits for the report without polling; on another node it would be woken within a relay pass
            OperationView report = h.ops.scheduler().await(id, Duration.ofSeconds(5));
            assertThat(report.results().get("pages", Integer.class)).isEqualTo(5 + 7 + 7);
        }
    }

    @Test
    void aFailingChildSendsTheParentToItsFailurePath() {
        ParallelSubTasks.Renderer renderer = document -> {
            if (document.equals("corrupt")) throw new IllegalArgumentException("cannot parse " + document);
            return 1;
        };
        try (SampleHarness h = new SampleHarness(ParallelSubTasks.parent(Duration.ofMinutes(30)), ParallelSubTasks.child(renderer))) {
            OperationId id = h.ops.scheduler().enqueue(ParallelSubTasks.PARENT, Map.of("documents", List.of("intro", "corrupt")));
            h.runToEnd();
            assertThat(h.ops.scheduler().get(id).currentStep()).isEqualTo("partial");
            assertThat(h.ops.scheduler().get(id).results().get("failed", List.class)).singleElement().asString()
                    .contains("failed after 5 attempts with java.lang.IllegalArgumentException");
        }
    }
}
