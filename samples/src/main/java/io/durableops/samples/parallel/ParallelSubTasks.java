package io.durableops.samples.parallel;

import com.fasterxml.jackson.core.type.TypeReference;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationStatus;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Parallel sub-tasks (standard_procedure_operations' sub-tasks, acidic_job's {@code awaits}): a parent starts one
 * child operation per document to render, each running as its own jobs on whatever node is free, waits for all of
 * them, and sums their page counts. A child that fails sends the parent to "report-failures" instead.
 */
public final class ParallelSubTasks {
    public static final String PARENT = "render-report";
    public static final String CHILD = "render-document";

    /** Where the sample's work happens. */
    public interface Renderer {
        int render(String document);
    }

    private ParallelSubTasks() {
    }

    public static OperationDefinition parent(Duration timeout) {
        return OperationDefinition.of(PARENT, flow -> {
            flow.requires("documents")
                    .action("start-renderers", ctx -> {
                        for (String document : ctx.get("documents", new TypeReference<List<String>>() { })) {
                            ctx.startChild(CHILD, Map.of("document", document));
                        }
                    })
                    .awaitChildren("all-rendered?", WaitOptions.timeout(timeout).onChildFailure("report-failures").storeAs("rendered"))
                    .result("report", (ctx, results) -> results.put("pages", ctx.children("rendered").stream()
                            .mapToInt(child -> child.results().get("pages", Integer.class)).sum()))
                    .action("report-failures", ctx -> ctx.set("failed", ctx.children("rendered").stream()
                            .filter(child -> child.status() != OperationStatus.COMPLETED)
                            .map(child -> child.failureReason().orElse(child.status().name())).toList()),
                            StepOptions.then("partial"))
                    .result("partial", (ctx, results) -> results.put("failed", ctx.get("failed", List.class)));
        });
    }

    public static OperationDefinition child(Renderer renderer) {
        return OperationDefinition.of(CHILD, flow -> {
            flow.requires("document")
                    .action("render", ctx -> ctx.set("pages", renderer.render(ctx.get("document", String.class))))
                    .result("rendered", (ctx, results) -> results.put("pages", ctx.get("pages", Integer.class)));
        });
    }
}
