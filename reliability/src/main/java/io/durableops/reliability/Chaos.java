package io.durableops.reliability;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Breaks things on purpose and measures how long the cluster takes to heal: SIGKILLs a worker while it is in the middle
 * of steps (restarting it like a supervisor would), and stops the database for a while.
 */
final class Chaos {
    /**
     * Attempts RUNNING whose current try has started its code on a worker (its {@code run} effect row exists), and
     * whether their operation row is behind them (the fast path recorded the step before alone, without that row). Not
     * those with a next visit: a step recorded alone succeeded, and its row says so only once its turn is settled.
     */
    private static final String MID_STEP = "SELECT e.worker, a.id, CASE WHEN o.current_attempt_id = a.id THEN 0 ELSE 1 END "
            + "FROM durable_attempts a JOIN reliability_effects e "
            + "ON e.operation_id = a.operation_id AND e.step = a.step AND e.visit = a.visit AND e.attempt = a.attempt_count "
            + "AND e.kind = 'run' JOIN durable_operations o ON o.id = a.operation_id WHERE a.status = 'RUNNING' "
            + "AND NOT EXISTS (SELECT 1 FROM durable_attempts n WHERE n.operation_id = a.operation_id AND n.visit = a.visit + 1)";

    /** One SIGKILL: which worker, when, and the attempts it was in the middle of. */
    static final class Kill {
        final String worker;
        final Instant at;
        final List<String> attemptsInFlight;
        /** How many of them had their operation row behind them (see {@link #MID_STEP}). */
        final int behind;
        Double recoverySeconds;
        String recoveredBy = "";

        Kill(String worker, Instant at, List<String> attemptsInFlight, int behind) {
            this.worker = worker;
            this.at = at;
            this.attemptsInFlight = attemptsInFlight;
            this.behind = behind;
        }

        boolean midStep() {
            return !attemptsInFlight.isEmpty();
        }
    }

    /** The database outage: from the stop signal to the server accepting connections again. */
    record Outage(Instant stopAt, Instant downAt, Instant startAt, Instant upAt) {
        double seconds() {
            return Duration.between(stopAt, upAt).toMillis() / 1000.0;
        }

        double downSeconds() {
            return Duration.between(downAt, startAt).toMillis() / 1000.0;
        }
    }

    private final DataSource dataSource;
    private final MariaDbServer database;
    private final Map<String, WorkerProcess> workers = new LinkedHashMap<>();
    private final List<Kill> kills = new ArrayList<>();
    private Outage outage;
    private Double resumedAfterOutageSeconds;

    Chaos(DataSource dataSource, MariaDbServer database, List<WorkerProcess> workers) {
        this.dataSource = dataSource;
        this.database = database;
        workers.forEach(w -> this.workers.put(w.name(), w));
    }

    /**
     * Waits (up to {@code within}) until some worker is in the middle of a step, SIGKILLs the worker with the most
     * steps in flight, notes those attempts, and starts it again after {@code restartAfter}.
     */
    Kill killMidStep(Duration within, Duration restartAfter) throws Exception {
        return killMidStep(within, restartAfter, null);
    }

    /**
     * As {@link #killMidStep(Duration, Duration)}, but first waits (up to {@code within} each) for {@code preferred}
     * to be in the middle of a step whose operation row is behind it, then in the middle of any step. The fast-path
     * worker needs this: it fetches fewer JobRunr jobs than the others (they wake their own JobRunr server at each step
     * they dispatch), so it is rarely the busiest, and a row behind its step exists only after a step recorded alone.
     */
    Kill killMidStep(Duration within, Duration restartAfter, String preferred) throws Exception {
        String victim = preferred == null ? null : busiest(within, preferred, true);
        if (victim == null && preferred != null) victim = busiest(within, preferred, false);
        if (victim == null) victim = busiest(within, null, false);
        if (victim == null) victim = workers.keySet().iterator().next();
        WorkerProcess worker = workers.get(victim);
        Instant at = Instant.now();
        worker.kill();
        // the dead worker's attempts stay RUNNING until their lease runs out, so they can be listed after the kill
        List<String> attempts = new ArrayList<>();
        int behind = 0;
        for (String[] row : midStep()) {
            if (!row[0].equals(victim)) continue;
            attempts.add(row[1]);
            if (row[2].equals("1")) behind++;
        }
        Kill kill = new Kill(victim, at, attempts, behind);
        kills.add(kill);
        System.out.printf("  %s SIGKILL %s in the middle of %d step(s)%s%n", clock(), victim, attempts.size(),
                behind == 0 ? "" : ", " + behind + " with the operation row behind");
        Thread.sleep(restartAfter.toMillis());
        worker.start();
        System.out.printf("  %s restarted %s%n", clock(), victim);
        return kill;
    }

    /** Stops the database (SIGTERM), keeps it down for {@code down}, starts it again. */
    Outage outage(Duration down) throws Exception {
        Instant stopAt = Instant.now();
        System.out.printf("  %s stopping the database%n", clock());
        database.stop();
        Instant downAt = Instant.now();
        Thread.sleep(down.toMillis());
        Instant startAt = Instant.now();
        database.start();
        Instant upAt = Instant.now();
        outage = new Outage(stopAt, downAt, startAt, upAt);
        System.out.printf("  %s database back after %.1f s (down %.1f s)%n", clock(), outage.seconds(), outage.downSeconds());
        return outage;
    }

    /** Measures what can be measured now: recovery of each kill, and the first step completed after the outage. */
    void observe() {
        try (Connection c = dataSource.getConnection()) {
            for (Kill kill : kills) {
                if (kill.recoverySeconds != null || !kill.midStep()) continue;
                recovered(c, kill).ifPresent(done -> kill.recoverySeconds = Duration.between(kill.at, done).toMillis() / 1000.0);
            }
            if (outage != null && resumedAfterOutageSeconds == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT MIN(finished_at) FROM durable_attempts WHERE status = 'SUCCEEDED' AND finished_at > ?")) {
                    ps.setObject(1, LocalDateTime.ofInstant(outage.upAt(), ZoneOffset.UTC));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && rs.getObject(1) != null) {
                            Instant first = rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                            resumedAfterOutageSeconds = Duration.between(outage.upAt(), first).toMillis() / 1000.0;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            // the database may be down; observe again later
        }
    }

    /** When every attempt the killed worker was in the middle of had completed (by whichever worker), if they all have. */
    private Optional<Instant> recovered(Connection c, Kill kill) throws SQLException {
        Instant last = null;
        for (String attempt : kill.attemptsInFlight) {
            try (PreparedStatement ps = c.prepareStatement("SELECT a.status, a.finished_at, "
                    + "(SELECT e.worker FROM reliability_effects e WHERE e.operation_id = a.operation_id AND e.step = a.step "
                    + "AND e.visit = a.visit ORDER BY e.id DESC LIMIT 1) FROM durable_attempts a WHERE a.id = ?")) {
                ps.setString(1, attempt);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) return Optional.empty();
                    String status = rs.getString(1);
                    if (status.equals("SCHEDULED") || status.equals("RUNNING") || rs.getObject(2) == null) return Optional.empty();
                    Instant finished = rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC);
                    if (last == null || finished.isAfter(last)) last = finished;
                    if (!kill.recoveredBy.contains(rs.getString(3))) kill.recoveredBy += (kill.recoveredBy.isEmpty() ? "" : ",") + rs.getString(3);
                }
            }
        }
        return Optional.ofNullable(last);
    }

    /**
     * The live worker with the most steps in flight (only {@code only}, if given; counting only steps whose operation
     * row is behind them, if {@code behindOnly}), once there is one within {@code within}.
     */
    private String busiest(Duration within, String only, boolean behindOnly) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (Instant.now().isBefore(deadline)) {
            Map<String, Integer> inFlight = new LinkedHashMap<>();
            try {
                for (String[] row : midStep()) if (!behindOnly || row[2].equals("1")) inFlight.merge(row[0], 1, Integer::sum);
            } catch (SQLException e) {
                // the database may be starting up again; look again
            }
            String victim = inFlight.entrySet().stream()
                    .filter(e -> only == null || e.getKey().equals(only))
                    .filter(e -> workers.get(e.getKey()) != null && workers.get(e.getKey()).isAlive())
                    .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
            if (victim != null) return victim;
            Thread.sleep(10);
        }
        return null;
    }

    private List<String[]> midStep() throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(MID_STEP);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
        return rows;
    }

    List<Kill> kills() {
        return kills;
    }

    Optional<Outage> outageRecord() {
        return Optional.ofNullable(outage);
    }

    Optional<Double> resumedAfterOutageSeconds() {
        return Optional.ofNullable(resumedAfterOutageSeconds);
    }

    boolean allRecoveriesMeasured() {
        return kills.stream().filter(Kill::midStep).allMatch(k -> k.recoverySeconds != null);
    }

    static String clock() {
        return java.time.LocalTime.now().format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"));
    }
}
