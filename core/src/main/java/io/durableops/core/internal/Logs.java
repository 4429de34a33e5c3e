package io.durableops.core.internal;

import java.sql.SQLException;

/**
 * What log lines may say about a failure. Messages and stack traces of failures are user data (they are encrypted at
 * rest for that reason): by default a log line names only the exception's class, and for a database error its SQL
 * state, beside the operation, step and attempt ids. {@code DurableOps.Builder.logUserData(true)}, for development,
 * prints the messages too.
 */
public final class Logs {
    private static volatile boolean userData;

    private Logs() {
    }

    /** Set by the builder; JVM-wide. */
    public static void userData(boolean on) {
        userData = on;
    }

    public static boolean userData() {
        return userData;
    }

    /** The failure as a log line may show it: its class (and SQL state), or, with user data on, its {@code toString()}. */
    public static String describe(Throwable failure) {
        if (failure == null) return "null";
        if (userData) return failure.toString();
        StringBuilder s = new StringBuilder(failure.getClass().getName());
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql) {
                s.append(" (SQL state ").append(sql.getSQLState()).append(", error ").append(sql.getErrorCode()).append(')');
                break;
            }
        }
        return s.toString();
    }

    /** A text that may hold user data (a reason a step gave, say): shown with user data on, else a placeholder. */
    public static String userText(String text) {
        return userData ? text : "(see the operation; messages are not logged unless logUserData is on)";
    }
}
