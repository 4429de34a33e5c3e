package io.durableops.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.durableops.reliability.ReliabilityMain.seconds;

/** The readable summary of a run, then the RESULT lines; decides the exit code. */
final class Report {
    private Report() {
    }

    static int print(ReliabilityMain.Plan plan, Audit audit, Chaos chaos, Traffic traffic, OperatorRaces races, List<WorkerProcess> workers,
                     Duration took) {
        List<Chaos.Kill> kills = chaos.kills();
        double maxRecovery = kills.stream().filter(k -> k.recoverySeconds != null).mapToDouble(k -> k.recoverySeconds).max().orElse(0);
        double outage = chaos.outageRecord().map(Chaos.Outage::seconds).orElse(0.0);
        int twice = audit.completedTwice.size();

        System.out.println();
        System.out.println("=== Durable Ops reliability suite: " + plan.name() + " run, " + took.toSeconds() + " s ===");
        System.out.printf("Cluster: %d worker JVMs x %d JobRunr workers, JobRunr poll %d s, Durable Ops lease %d s, relay every 1 s, private MariaDB%n",
                ReliabilityMain.WORKERS, ReliabilityMain.WORKER_THREADS, ReliabilityMain.POLL_SECONDS, ReliabilityMain.LEASE_SECONDS);
        System.out.printf("Workload: %d operations x %d steps (%s), %d completed with every step recorded once, in order%n",
                traffic.workload().size(), io.durableops.samples.reliability.Workload.STEPS.size(),
                String.join(" > ", io.durableops.samples.reliability.Workload.STEPS), audit.workloadCompleted);
        System.out.printf("  user code ran %d times for %d step visits: %d re-run(s) (at least once: a step cut short by a kill or the outage runs again)%n",
                audit.runsTotal, traffic.workload().size() * io.durableops.samples.reliability.Workload.STEPS.size(), audit.userCodeReruns);
        System.out.printf("  enqueue calls retried while the database was away: %d (idempotency keys made them safe)%n", traffic.enqueueRetries());
        System.out.println("Worker kills (SIGKILL mid-step; recovery = until every step the dead worker was running has completed elsewhere):");
        for (Chaos.Kill k : kills) {
            System.out.printf("  %s at %s: %d step(s) in flight%s, recovered in %s s%s%n", k.worker, k.at.atZone(java.time.ZoneId.systemDefault()).toLocalTime().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss")),
                    k.attemptsInFlight.size(), k.behind == 0 ? "" : " (" + k.behind + " after a step recorded alone: operation row behind)",
                    k.recoverySeconds == null ? (k.midStep() ? "NOT MEASURED" : "-") : seconds(k.recoverySeconds),
                    k.recoveredBy.isEmpty() ? "" : " (completed by " + k.recoveredBy + ")");
        }
        chaos.outageRecord().ifPresent(o -> System.out.printf("Database outage: stopped (SIGTERM) and unreachable for %s s, %s s from stop to accepting "
                + "connections again; first step completed %s s after it was back%n", seconds(o.downSeconds()), seconds(o.seconds()),
                chaos.resumedAfterOutageSeconds().map(ReliabilityMain::seconds).orElse("?")));
        System.out.println("Poison (each must end FAILED, or PAUSED where no node has what it needs, with its reason):");
        for (String kind : Traffic.kinds(traffic.poisonOps())) {
            long n = traffic.poisonOps().stream().filter(p -> p.kind().equals(kind)).count();
            System.out.printf("  %-30s x%d  %s%n", kind, n, audit.poisonOutcomes.getOrDefault(kind, "NOT AS EXPECTED (see below)"));
        }
        System.out.printf("Rolling deploy: every worker stopped gracefully and started on the new build; %d workload operation(s) ran on "
                + "version 2; %d operation(s) failed by the deploy%n", audit.onVersion2, audit.failedByDeploy.size());
        audit.failedByDeploy.stream().limit(10).forEach(f -> System.out.println("  FAILED BY THE DEPLOY: " + f));
        System.out.printf("Operator races: %d concurrent actions won, %d refused as they should; %d raced operation(s) left ended by an operator, the rest completed%n",
                races.won(), races.refused(), audit.racedEnded);
        audit.problems.addAll(races.problems());
        if (!audit.invariantViolations.isEmpty()) {
            System.out.println("INVARIANTS VIOLATED:");
            audit.invariantViolations.stream().limit(20).forEach(p -> System.out.println("  " + p));
        }
        System.out.println("Errors recorded on attempts (class: count): " + audit.errorClasses);
        System.out.println("Tries with no outcome or error row (cut short by a kill or the outage, or ended by a permanent failure): " + audit.lostRunTries);
        System.out.println("JobRunr jobs by state: " + audit.jobrunrJobs);
        int untracked = audit.untrackedOperations(audit.total);
        if (untracked != 0) audit.problems.add(untracked + " operation(s) in the database that the driver did not enqueue");
        if (!audit.completedTwice.isEmpty()) {
            System.out.println("COMPLETED TWICE:");
            audit.completedTwice.stream().limit(20).forEach(p -> System.out.println("  " + p));
        }
        if (!audit.problems.isEmpty()) {
            System.out.println("Problems (" + audit.problems.size() + "):");
            audit.problems.stream().limit(30).forEach(p -> System.out.println("  " + p));
        }
        long midStep = kills.stream().filter(Chaos.Kill::midStep).count();
        boolean chaosAsPlanned = midStep >= plan.kills().size() && chaos.outageRecord().map(o -> o.downSeconds() >= plan.outageFor().toSeconds() - 0.5).orElse(false);
        if (!chaosAsPlanned) System.out.println("CHAOS NOT AS PLANNED: " + midStep + " mid-step kill(s), outage " + seconds(outage) + " s");
        System.out.println("Worker logs: " + workers.get(0).log().getParent().toAbsolutePath());
        System.out.println();
        for (Map.Entry<String, String> line : List.of(
                Map.entry("operations_total", String.valueOf(audit.total)),
                Map.entry("operations_completed", String.valueOf(audit.completed)),
                Map.entry("operations_lost", String.valueOf(audit.lost)),
                Map.entry("steps_completed_twice", String.valueOf(twice)),
                Map.entry("user_code_reruns", String.valueOf(audit.userCodeReruns)),
                Map.entry("operator_actions_won", String.valueOf(races.won())),
                Map.entry("operator_actions_refused", String.valueOf(races.refused())),
                Map.entry("invariant_violations", String.valueOf(audit.invariantViolations.size())),
                Map.entry("operations_failed_by_deploy", String.valueOf(audit.failedByDeploy.size())),
                Map.entry("worker_kills", String.valueOf(kills.size())),
                Map.entry("db_outage_seconds", seconds(outage)),
                Map.entry("max_recovery_seconds", seconds(maxRecovery)))) {
            System.out.println("RESULT " + line.getKey() + "=" + line.getValue());
        }
        boolean racesAsPlanned = races.won() > 0 && races.problems().isEmpty();
        if (!racesAsPlanned) System.out.println("OPERATOR RACES NOT AS PLANNED: " + races.won() + " won, problems: " + races.problems());
        boolean deployAsPlanned = audit.onVersion2 > 0;
        if (!deployAsPlanned) System.out.println("DEPLOY NOT AS PLANNED: no workload operation ran on version 2");
        boolean pass = audit.lost == 0 && twice == 0 && chaosAsPlanned && audit.invariantViolations.isEmpty() && racesAsPlanned
                && audit.failedByDeploy.isEmpty() && deployAsPlanned;
        System.out.println(pass ? "PASS: nothing lost, no step completed twice" : "FAIL");
        return pass ? 0 : 1;
    }
}
