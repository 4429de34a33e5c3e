package io.durableops.core.test;

import io.durableops.core.spi.AttemptRunner;
import io.durableops.core.spi.DispatchRequest;
import io.durableops.core.spi.Dispatcher;
import io.durableops.core.spi.DispatcherFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One job queue shared by several nodes, as JobRunr's is: a job goes to whichever node takes it, and {@link #runDue}
 * hands each to the nodes in turn, so jobs land on the wrong node (one without their step) as often as on the right one.
 * What a node dispatches to itself ({@link Dispatcher#dispatchHere}) runs on that node only. Without threads.
 */
public final class SharedJobs {
    private final Clock clock;
    private final List<DispatchRequest> shared = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private int turn;

    public SharedJobs(Clock clock) {
        this.clock = clock;
    }

    /** A node's dispatcher on this queue. */
    public Node node(String name) {
        Node node = new Node(name);
        nodes.add(node);
        return node;
    }

    public final class Node implements DispatcherFactory, Dispatcher {
        private final String name;
        private final List<DispatchRequest> here = new ArrayList<>();
        private AttemptRunner runner;
        private boolean down;

        private Node(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        /** A node that is down takes no jobs (it was closed or killed). */
        public void down() {
            down = true;
        }

        @Override
        public Dispatcher create(String instanceName, AttemptRunner runner) {
            this.runner = runner;
            return this;
        }

        @Override
        public void dispatch(List<DispatchRequest> requests) {
            synchronized (SharedJobs.this) {
                shared.addAll(requests);
            }
        }

        @Override
        public void dispatchHere(List<DispatchRequest> requests) {
            synchronized (SharedJobs.this) {
                here.addAll(requests);
            }
        }
    }

    /** Runs every due job until none is due: shared ones on the nodes in turn, a node's own ones on it. */
    public int runDue() {
        int ran = 0;
        for (int guard = 0; guard < 100_000; guard++) {
            Node node;
            DispatchRequest request;
            synchronized (this) {
                List<Node> up = nodes.stream().filter(n -> !n.down).toList();
                if (up.isEmpty()) return ran;
                Optional<Node> withOwn = up.stream().filter(n -> due(n.here).isPresent()).findFirst();
                if (withOwn.isPresent()) {
                    node = withOwn.get();
                    request = due(node.here).orElseThrow();
                    node.here.remove(request);
                } else {
                    Optional<DispatchRequest> next = due(shared);
                    if (next.isEmpty()) return ran;
                    request = next.get();
                    shared.remove(request);
                    node = up.get(turn++ % up.size());
                }
            }
            node.runner.run(request.attemptId(), request.generation());
            ran++;
        }
        throw new AssertionError("still running after 100,000 jobs");
    }

    private Optional<DispatchRequest> due(List<DispatchRequest> requests) {
        return requests.stream().filter(r -> !r.runAt().isAfter(clock.instant())).min(Comparator.comparing(DispatchRequest::runAt));
    }
}
