package io.durableops.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one workload costs, measured from {@link #start} to {@link #stop}: process CPU time, the database server's
 * CPU time (from /proc, server-wide), peak heap (sampled every 10 ms), GC time, and statements and commits (counted
 * on the client, and the server's global counters for comparison).
 */
final class Meter {
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final Database db;
    private final SqlCounter counter;
    private final AtomicLong heapPeak = new AtomicLong();
    private volatile boolean sampling;
    private Thread sampler;
    private long cpuStart;
    private long dbCpuStart;
    private long gcStart;
    private SqlCounter.Snapshot sqlStart;
    private Map<String, Long> statusStart;

    Meter(Database db, SqlCounter counter) {
        this.db = db;
        this.counter = counter;
    }

    Meter start() throws SQLException {
        System.gc();
        heapPeak.set(heapUsed());
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                heapPeak.accumulateAndGet(heapUsed(), Math::max);
                Micros.sleepMillis(10);
            }
        }, "bench-heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
        statusStart = db.globalStatus();
        sqlStart = counter.snapshot();
        gcStart = gcMillis();
        dbCpuStart = mariadbCpuMillis();
        cpuStart = OS.getProcessCpuTime();
        return this;
    }

    Usage stop() throws SQLException {
        long cpu = OS.getProcessCpuTime() - cpuStart;
        long dbCpu = mariadbCpuMillis() - dbCpuStart;
        long gc = gcMillis() - gcStart;
        SqlCounter.Snapshot sql = counter.snapshot().minus(sqlStart);
        long status = Database.sumDelta(statusStart, db.globalStatus());
        sampling = false;
        try {
            sampler.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        heapPeak.accumulateAndGet(heapUsed(), Math::max);
        return new Usage(cpu / 1_000_000.0, dbCpuStart < 0 ? Double.NaN : dbCpu, gc, heapPeak.get(), sql, status);
    }

    /** Peak heap so far in this measurement. */
    long heapPeak() {
        return heapPeak.get();
    }

    static long heapUsed() {
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /** Heap in use after a full collection: what is really retained. */
    static long liveHeap() {
        System.gc();
        System.gc();
        return heapUsed();
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, gc.getCollectionTime());
        return sum;
    }

    /** User + system CPU of the database server's process in ms, or -1 if it cannot be read (remote server, no /proc). */
    static long mariadbCpuMillis() {
        Long pid = mariadbPid;
        if (pid == null) return -1;
        try {
            String stat = Files.readString(Path.of("/proc", pid.toString(), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (fields 14 and 15)
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static volatile Long mariadbPid;

    /** Finds the server's process from its own pid file (several mariadbd may run on this machine); null if remote. */
    static void locateServer(Database db) {
        mariadbPid = null; // PostgreSQL runs a process per connection: its server CPU is not measured
        if (db.kind != Database.Kind.MARIADB) return;
        try (var s = db.control().createStatement(); var rs = s.executeQuery("SELECT @@pid_file")) {
            if (rs.next() && rs.getString(1) != null) {
                Long pid = Long.valueOf(Files.readString(Path.of(rs.getString(1))).strip());
                if (Files.exists(Path.of("/proc", pid.toString(), "stat"))) mariadbPid = pid;
            }
        } catch (SQLException | IOException | RuntimeException e) {
            mariadbPid = null;
        }
    }

    /** The cost of one workload. */
    record Usage(double cpuMillis, double dbCpuMillis, long gcMillis, long heapPeakBytes, SqlCounter.Snapshot sql, long serverStatements) {
    }
}
