package io.durableops.samples.reconciliation;

import io.durableops.core.DurableOps;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.Schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;

/**
 * A nightly reconciliation: at 02:00 in Brussels, compare yesterday's bank balance with the books and report the
 * difference. Its schedule skips a night while the previous run still goes, and after an outage makes up one missed
 * night, not all of them.
 */
public final class NightlyReconciliation implements OperationDefinition {
    public static final String NAME = "nightly-reconciliation";
    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    private final Ledger ledger;

    public NightlyReconciliation(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Declares the schedule on a runtime's builder; every node may declare it, each night still starts one run. */
    public static DurableOps.Builder scheduled(DurableOps.Builder builder) {
        // tag::schedule[]
        return builder.schedule("reconcile-every-night", NightlyReconciliation.NAME,
                Schedule.cron("0 2 * * *").inZone(ZoneId.of("Europe/Brussels"))
                        .onOverlap(Schedule.Overlap.SKIP)  // a night whose run is still going is skipped
                        .catchUp(1),                       // after an outage, one missed night runs, not each of them
                Map.of("account", "EUR-main"));
        // end::schedule[]
    }

    @Override
    public void define(Flow flow) {
        flow.action("pick-day", ctx -> {
                    // the tick the operation was started for (ISO-8601), added by the schedule
                    Instant tick = Instant.parse(ctx.get("scheduledFor", String.class));
                    ctx.set("day", LocalDate.ofInstant(tick, BRUSSELS).minusDays(1).toString());
                })
                .action("compare", ctx -> {
                    String day = ctx.get("day", String.class);
                    ctx.set("difference", ledger.bank(day) - ledger.books(day));
                })
                .result("report", (ctx, results) -> {
                    long difference = ctx.get("difference", Long.class);
                    ledger.report(ctx.get("account", String.class) + " " + ctx.get("day", String.class) + ": "
                            + (difference == 0 ? "balanced" : "off by " + difference));
                    results.put("difference", difference);
                });
    }
}
