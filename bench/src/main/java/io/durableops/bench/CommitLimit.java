package io.durableops.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Workload 1, the ceiling every durable engine lives under: transactions of one single-row INSERT each, committed
 * (so flushed to the redo log with innodb_flush_log_at_trx_commit=1, to the WAL with PostgreSQL's synchronous_commit=on),
 * from 1 and from 8 threads for a fixed time.
 */
final class CommitLimit {
    private CommitLimit() {
    }

    static double commitsPerSecond(Database db, int threads, long millis) throws Exception {
        db.recreate();
        try (Connection c = Database.open(db.url(db.name)); Statement s = c.createStatement()) {
            s.execute(db.kind == Database.Kind.POSTGRES
                    ? "CREATE TABLE commit_probe (id BIGSERIAL PRIMARY KEY, thread_no INT NOT NULL, payload VARCHAR(100) NOT NULL, "
                    + "created_at TIMESTAMP(6) NOT NULL)"
                    : "CREATE TABLE commit_probe (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, thread_no INT NOT NULL, "
                    + "payload VARCHAR(100) NOT NULL, created_at DATETIME(6) NOT NULL) ENGINE=InnoDB");
        }
        AtomicLong commits = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        long[] window = new long[2];
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(threads);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int threadNo = t;
            Thread worker = new Thread(() -> {
                try (Connection c = Database.open(db.url(db.name));
                     PreparedStatement ps = c.prepareStatement("INSERT INTO commit_probe (thread_no, payload, created_at) VALUES (?, ?, "
                             + (db.kind == Database.Kind.POSTGRES ? "LOCALTIMESTAMP" : "NOW(6)") + ")")) {
                    c.setAutoCommit(false);
                    ready.countDown();
                    go.await();
                    long end = window[1];
                    long n = 0;
                    while (System.nanoTime() < end) {
                        ps.setInt(1, threadNo);
                        ps.setString(2, "commit " + n);
                        ps.executeUpdate();
                        c.commit();
                        n++;
                    }
                    commits.addAndGet(n);
                } catch (SQLException | InterruptedException e) {
                    failures.add(e);
                    ready.countDown();
                }
            }, "bench-commit-" + t);
            workers.add(worker);
            worker.start();
        }
        ready.await();
        window[0] = System.nanoTime();
        window[1] = window[0] + millis * 1_000_000L;
        go.countDown();
        for (Thread worker : workers) worker.join();
        if (!failures.isEmpty()) throw new IllegalStateException("commit-limit workload failed", failures.get(0));
        double seconds = (System.nanoTime() - window[0]) / 1e9;
        return commits.get() / seconds;
    }
}
