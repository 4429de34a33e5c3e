package io.durableops.bench;

import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what the benchmarked process sends to the database through {@link CountingDataSource}: statements by kind,
 * {@code setAutoCommit}/{@code rollback} calls (Connector/J sends each as a statement unless told to elide them), and commits (explicit {@code commit()} calls plus writes executed in auto-commit mode, each of which is its own
 * transaction). Counted on the client, so the other databases' traffic on a shared server does not leak in.
 */
final class SqlCounter {
    /** SET = a {@code setAutoCommit} or {@code rollback} call: a round trip of its own with Connector/J's defaults. */
    enum Kind { SELECT, INSERT, UPDATE, DELETE, OTHER, SET }

    private final LongAdder[] statements = new LongAdder[Kind.values().length];
    private final LongAdder commits = new LongAdder();

    SqlCounter() {
        for (int i = 0; i < statements.length; i++) statements[i] = new LongAdder();
    }

    void statement(Kind kind, long n, boolean autoCommit) {
        statements[kind.ordinal()].add(n);
        if (autoCommit && kind != Kind.SELECT && kind != Kind.OTHER && kind != Kind.SET) commits.add(n);
    }

    void commit() {
        commits.increment();
    }

    Snapshot snapshot() {
        long[] s = new long[statements.length];
        for (int i = 0; i < s.length; i++) s[i] = statements[i].sum();
        return new Snapshot(s, commits.sum());
    }

    static Kind kindOf(String sql) {
        if (sql == null) return Kind.OTHER;
        String s = sql.stripLeading();
        while (s.startsWith("/*")) {
            int end = s.indexOf("*/");
            if (end < 0) break;
            s = s.substring(end + 2).stripLeading();
        }
        int space = 0;
        while (space < s.length() && Character.isLetter(s.charAt(space))) space++;
        return switch (s.substring(0, space).toUpperCase(Locale.ROOT)) {
            case "SELECT" -> Kind.SELECT;
            case "INSERT", "REPLACE" -> Kind.INSERT;
            case "UPDATE" -> Kind.UPDATE;
            case "DELETE" -> Kind.DELETE;
            default -> Kind.OTHER;
        };
    }

    /** Counts at one moment; subtract two to get a workload's share. */
    record Snapshot(long[] statements, long commits) {
        static final Snapshot ZERO = new Snapshot(new long[Kind.values().length], 0);

        Snapshot minus(Snapshot earlier) {
            long[] s = new long[statements.length];
            for (int i = 0; i < s.length; i++) s[i] = statements[i] - earlier.statements[i];
            return new Snapshot(s, commits - earlier.commits);
        }

        /** SQL statements sent (SELECT, INSERT, UPDATE, DELETE, other), without COMMITs and SET autocommit. */
        long total() {
            long sum = 0;
            for (Kind kind : Kind.values()) if (kind != Kind.SET) sum += statements[kind.ordinal()];
            return sum;
        }

        /** Every request the client sent: statements, COMMITs, SET autocommit and ROLLBACKs. */
        long roundTrips() {
            long sum = commits;
            for (long n : statements) sum += n;
            return sum;
        }

        long of(Kind kind) {
            return statements[kind.ordinal()];
        }
    }
}
