package io.durableops.reliability;

import io.durableops.core.OperationId;
import io.durableops.core.OperationScheduler;
import io.durableops.core.OperationView;
import io.durableops.samples.reliability.Workload;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts what the cluster did, from the database alone: the operations and attempts tables, and the effects each step
 * wrote. An operation is complete when it is COMPLETED with every step recorded once in order (workload) or FAILED
 * with the reason its poison calls for; lost when it is neither finished, nor progressing, nor showing a reason.
 */
final class Audit {
    private static final List<String> TERMINAL = List.of("COMPLETED", "FAILED", "EXPIRED", "CANCELLED");

    record Op(String id, String definition, int version, String status, String reason, String currentAttempt) {
    }

    record Attempt(String id, String operation, String step, int visit, String status, int tries, String errorClass,
                   Instant scheduledAt, Instant leaseUntil, int generation, int dispatchPending, Instant updatedAt) {
        @Override
        public String toString() {
            return visit + ":" + step + ":" + status + " (tries " + tries + ", generation " + generation + ", dispatch " + dispatchPending
                    + ", scheduled " + scheduledAt + ", updated " + updatedAt + ")";
        }
    }

    final Map<String, Op> operations = new LinkedHashMap<>();
    final Map<String, List<Attempt>> attempts = new HashMap<>();
    final List<String> problems = new ArrayList<>();
    int total;
    int completed;
    int lost;
    int workloadCompleted;
    int poisonAsExpected;
    int userCodeReruns;
    int runsTotal;
    final Set<String> completedTwice = new LinkedHashSet<>();
    final Map<String, Integer> jobrunrJobs = new TreeMap<>();
    final Map<String, Integer> errorClasses = new TreeMap<>();
    final Map<String, String> poisonOutcomes = new LinkedHashMap<>();
    int lostRunTries;
    /** Workload operations that ran on version 2 of the workload: started by the new build of the rolling deploy. */
    int onVersion2;
    /** Operations FAILED because of a deploy: a missing definition or step, a step interrupted by a node's shutdown. */
    final List<String> failedByDeploy = new ArrayList<>();
    /** Raced workload operations an operator ended (and left ended), each with its reason. */
    int racedEnded;
    /** What {@link io.durableops.core.testing.Invariants} found: work behind ended operations, forks, double visits. */
    final List<String> invariantViolations = new ArrayList<>();

    static Audit of(DataSource dataSource, OperationScheduler scheduler, Traffic traffic) throws SQLException {
        Audit audit = new Audit();
        try (Connection c = dataSource.getConnection()) {
            audit.load(c);
            audit.checkWorkload(c, scheduler, traffic.workload());
            audit.checkPoison(traffic.poisonOps());
            audit.countOthers(c);
        }
        audit.invariantViolations.addAll(io.durableops.core.testing.Invariants.violations(dataSource));
        for (Op op : audit.operations.values()) {
            String reason = op.reason() == null ? "" : op.reason();
            if (op.status().equals("FAILED") && (reason.contains("not registered") || reason.contains("has no step")
                    || reason.contains("Interrupt") || reason.contains("interrupted"))) {
                audit.failedByDeploy.add(op.id() + " (" + op.definition() + "): " + reason);
            }
        }
        return audit;
    }

    /** How many tracked operations are not finished yet (for the wait before the audit). */
    static int unfinished(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM durable_operations WHERE status = 'RUNNING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void load(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, definition, definition_version, status, failure_reason, current_attempt_id "
                + "FROM durable_operations");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                operations.put(rs.getString(1), new Op(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6)));
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, operation_id, step, visit, status, attempt_count, last_error_class, "
                + "scheduled_at, lease_until, generation, dispatch_pending, updated_at FROM durable_attempts ORDER BY operation_id, visit");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Attempt a = new Attempt(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5), rs.getInt(6),
                        rs.getString(7), instant(rs, 8), instant(rs, 9), rs.getInt(10), rs.getInt(11), instant(rs, 12));
                attempts.computeIfAbsent(a.operation(), k -> new ArrayList<>()).add(a);
            }
        }
    }

    private void checkWorkload(Connection c, OperationScheduler scheduler, Map<Integer, OperationId> workload) throws SQLException {
        // effects: runs of user code per step visit, and transactional effects that must exist exactly once
        Map<String, Integer> runs = new HashMap<>();
        Map<String, Integer> tx = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT operation_id, step, visit, kind, COUNT(*) FROM reliability_effects GROUP BY operation_id, step, visit, kind");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String key = rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getInt(3);
                (rs.getString(4).equals("tx") ? tx : runs).put(key, rs.getInt(5));
            }
        }
        for (Map.Entry<Integer, OperationId> entry : workload.entrySet()) {
            OperationId id = entry.getValue();
            total++;
            Op op = operations.get(id.toString());
            if (op == null) {
                lost++;
                problems.add("workload operation " + id + " was acknowledged by enqueue but is not in the database");
                continue;
            }
            List<Attempt> visits = attempts.getOrDefault(op.id(), List.of());
            // a visit recorded twice shows as two attempt rows for one visit, or a step SUCCEEDED twice
            Map<Integer, Integer> perVisit = new HashMap<>();
            Map<String, Integer> succeededPerStep = new HashMap<>();
            for (Attempt a : visits) {
                perVisit.merge(a.visit(), 1, Integer::sum);
                if (a.status().equals("SUCCEEDED")) succeededPerStep.merge(a.step(), 1, Integer::sum);
            }
            perVisit.forEach((visit, n) -> { if (n > 1) completedTwice.add(op.id() + " visit " + visit + " has " + n + " attempt rows"); });
            succeededPerStep.forEach((step, n) -> { if (n > 1) completedTwice.add(op.id() + " step " + step + " SUCCEEDED " + n + " times"); });
            List<String> steps = Workload.steps(op.version());
            if (op.version() == 2) onVersion2++;
            for (int v = 0; v < steps.size(); v++) {
                String step = steps.get(v);
                String key = op.id() + "/" + step + "/" + (v + 1);
                int n = runs.getOrDefault(key, 0);
                runsTotal += n;
                if (n > 1) userCodeReruns += n - 1;
                if (Workload.TRANSACTIONAL.contains(step) && tx.getOrDefault(key, 0) > 1) {
                    completedTwice.add(op.id() + " transactional step " + step + " committed its effect " + tx.get(key) + " times");
                }
            }
            if (OperatorRaces.raced(entry.getKey()) && (op.status().equals("CANCELLED") || op.status().equals("EXPIRED"))
                    && op.reason() != null && !op.reason().isBlank()) {
                racedEnded++;
                completed++;
                continue;
            }
            if (!op.status().equals("COMPLETED")) {
                classifyUnfinished(op, "workload");
                continue;
            }
            boolean inOrder = visits.size() == steps.size();
            for (int v = 0; inOrder && v < visits.size(); v++) {
                Attempt a = visits.get(v);
                inOrder = a.visit() == v + 1 && a.step().equals(steps.get(v)) && a.status().equals("SUCCEEDED");
            }
            OperationView view = scheduler.get(id);
            List<?> trail = view.results().get("trail", List.class);
            List<String> expected = Workload.TRAILED;
            if (!trail.equals(expected)) {
                if (trail.size() > new LinkedHashSet<>(trail).size()) completedTwice.add(op.id() + " trail " + trail);
                else problems.add("workload operation " + op.id() + " completed with trail " + trail);
            } else if (!inOrder) {
                problems.add("workload operation " + op.id() + " completed but its attempts are not the " + steps.size() + " steps in order: " + visits);
            } else {
                workloadCompleted++;
                completed++;
            }
        }
    }

    private void checkPoison(List<Traffic.PoisonOp> poison) {
        for (Traffic.PoisonOp p : poison) {
            total++;
            Op op = operations.get(p.id().toString());
            if (op == null) {
                lost++;
                problems.add("poison operation " + p.id() + " (" + p.kind() + ") is not in the database");
                continue;
            }
            String reason = op.reason() == null ? "" : op.reason();
            boolean visible = TERMINAL.contains(op.status()) && !reason.isBlank();
            if ((visible || op.status().equals("PAUSED")) && op.status().equals(p.expectedStatus()) && reason.contains(p.expectedReason())) {
                completed++;
                poisonAsExpected++;
                poisonOutcomes.putIfAbsent(p.kind(), op.status() + ": " + shorten(reason));
            } else if (visible) {
                problems.add("poison operation " + op.id() + " (" + p.kind() + ") ended " + op.status() + " but its reason lacks '"
                        + p.expectedReason() + "': " + reason);
            } else {
                classifyUnfinished(op, "poison (" + p.kind() + ")");
            }
        }
    }

    /** An operation that did not end as expected: still progressing, showing a reason, or lost. */
    private void classifyUnfinished(Op op, String what) {
        if (TERMINAL.contains(op.status()) || op.status().equals("PAUSED")) {
            if (op.reason() == null || op.reason().isBlank()) {
                lost++;
                problems.add(what + " operation " + op.id() + " is " + op.status() + " without a reason");
            } else {
                problems.add(what + " operation " + op.id() + " ended " + op.status() + ": " + op.reason());
            }
            return;
        }
        Attempt current = attempts.getOrDefault(op.id(), List.of()).stream().filter(a -> a.id().equals(op.currentAttempt())).findFirst().orElse(null);
        Instant now = Instant.now();
        boolean progressing = current != null && (current.status().equals("RUNNING") && current.leaseUntil() != null && current.leaseUntil().isAfter(now)
                || current.status().equals("SCHEDULED") && current.scheduledAt().isAfter(now.minusSeconds(60)));
        boolean reasonShown = current != null && current.errorClass() != null;
        if (progressing || reasonShown) {
            problems.add(what + " operation " + op.id() + " is still RUNNING at " + (current == null ? "?" : current.step() + " (" + current.status()
                    + ", " + current.tries() + " tries" + (reasonShown ? ", last error " + current.errorClass() : "") + ")"));
        } else {
            lost++;
            problems.add(what + " operation " + op.id() + " is LOST: RUNNING, not progressing, no reason (current attempt "
                    + (current == null ? "missing" : current.toString()) + ")");
        }
    }

    private void countOthers(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT state, COUNT(*) FROM jobrunr_jobs GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) jobrunrJobs.put(rs.getString(1), rs.getInt(2));
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT error_class, COUNT(*) FROM durable_attempt_errors GROUP BY error_class");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) errorClasses.put(rs.getString(1), rs.getInt(2));
        }
        // tries that started but recorded neither an outcome nor an error: the ones a kill or the outage cut short
        try (PreparedStatement ps = c.prepareStatement("SELECT COALESCE(SUM(a.attempt_count), 0) - (SELECT COUNT(*) FROM durable_attempt_errors) "
                + "- (SELECT COUNT(*) FROM durable_attempts WHERE status = 'SUCCEEDED') FROM durable_attempts a");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            lostRunTries = rs.getInt(1);
        }
    }

    int untrackedOperations(int tracked) {
        return operations.size() - tracked;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        LocalDateTime t = rs.getObject(column, LocalDateTime.class);
        return t == null ? null : t.toInstant(ZoneOffset.UTC);
    }

    private static String shorten(String s) {
        return s.length() <= 150 ? s : s.substring(0, 147) + "...";
    }
}
