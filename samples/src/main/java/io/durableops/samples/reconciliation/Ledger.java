package io.durableops.samples.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The sample's stand-in for a bank and a ledger: balances per day, and the reports the reconciliation wrote. */
public final class Ledger {
    private final Map<String, Long> bank = new ConcurrentHashMap<>();
    private final Map<String, Long> books = new ConcurrentHashMap<>();
    private final List<String> reports = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Ledger balances(String day, long bankCents, long booksCents) {
        bank.put(day, bankCents);
        books.put(day, booksCents);
        return this;
    }

    long bank(String day) {
        return bank.getOrDefault(day, 0L);
    }

    long books(String day) {
        return books.getOrDefault(day, 0L);
    }

    void report(String line) {
        reports.add(line);
    }

    public List<String> reports() {
        return new ArrayList<>(reports);
    }
}
