package io.durableops.core.internal.admin;

import io.durableops.core.DecryptionException;
import io.durableops.core.InvalidQueryException;
import io.durableops.core.OperationId;
import io.durableops.core.admin.MessageScan;
import io.durableops.core.admin.OperationPage;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.admin.OperationSummary;
import io.durableops.core.internal.engine.Engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A page of a search by error message (see {@link MessageScan}): messages are encrypted, so the SQL reads the candidates
 * (the other filters, and a recorded error) by keyset in batches, and this class decrypts each one's last message and
 * keeps the matches, until the page is full, the candidates run out, or the scan bound or time limit is reached. The
 * text searched for is never logged, nor put in a transaction's description.
 */
final class MessageSearch {
    /** Candidates read per statement: {@link FailureStore#lastErrors} takes at most one page's worth of ids. */
    private static final int BATCH = OperationQuery.MAX_LIMIT;

    private final Engine engine;
    private final AdminStore store;

    MessageSearch(Engine engine, AdminStore store) {
        this.engine = engine;
        this.store = store;
    }

    /** One batch of candidates: the rows, their last errors (messages still sealed), and whether more follow. */
    private record Batch(List<OperationSummary> rows, Map<OperationId, FailureStore.Row> errors, boolean more) {
    }

    OperationPage page(OperationQuery query) {
        Predicate<String> matches = matcher(query.errorMessage().orElseThrow());
        List<OperationSummary> found = new ArrayList<>();
        Cursor at = query.cursor().map(Cursor::decode).orElse(null);
        Instant reached = null;
        int scanned = 0;
        Instant started = engine.clock().instant();
        // why growing batches: a common text fills the page from its first candidates, so the first read is about a
        // page's worth (a 500-row read with its errors cost 0.2-0.3 s on H2); a rare one doubles up to BATCH rows a read
        int size = Math.min(BATCH, Math.max(2 * query.limit(), 20));
        while (true) {
            Batch batch = batch(query, at, Math.min(size, query.messageScan() - scanned));
            for (int i = 0; i < batch.rows().size(); i++) {
                OperationSummary row = batch.rows().get(i);
                scanned++;
                at = Cursor.after(query.sort(), row);
                reached = at.at();
                FailureStore.Row error = batch.errors().get(row.id());
                if (error != null && matches.test(open(error))) found.add(row);
                if (found.size() == query.limit()) {
                    boolean more = i < batch.rows().size() - 1 || batch.more();
                    return page(found, more ? at : null, new MessageScan(scanned, false, Optional.of(reached)));
                }
            }
            if (!batch.more()) return page(found, null, new MessageScan(scanned, false, Optional.ofNullable(reached)));
            if (scanned >= query.messageScan()) return page(found, at, new MessageScan(scanned, true, Optional.of(reached)));
            size = nextSize(size, scanned, Duration.between(started, engine.clock().instant()));
            if (size == 0) return page(found, at, new MessageScan(scanned, false, Optional.of(reached), true));
        }
    }

    /**
     * The next read's size: double the last, up to {@link #BATCH} and to what the time left affords at the rate measured
     * so far (so that the last read does not overrun the time limit by a whole batch); 0 once the time is spent.
     */
    static int nextSize(int last, int scanned, Duration spent) {
        Duration left = MessageScan.TIME_LIMIT.minus(spent);
        if (left.isNegative() || left.isZero()) return 0;
        long perRow = Math.max(1, spent.toNanos() / scanned);
        long affordable = left.toNanos() / perRow;
        return (int) Math.max(1, Math.min(Math.min(BATCH, 2L * last), affordable));
    }

    private Batch batch(OperationQuery query, Cursor after, int size) {
        return engine.tx().auto("search the last errors' messages", c -> {
            Where where = Where.of(engine.tx().dialect(), query, true, null);
            if (after != null) where.after(after);
            // one row more than asked tells whether more candidates follow
            List<OperationSummary> rows = store.page(c, where, query.sort(), size + 1);
            List<OperationSummary> head = List.copyOf(rows.subList(0, Math.min(size, rows.size())));
            return new Batch(head, FailureStore.lastErrors(c, head.stream().map(OperationSummary::id).toList(), true), rows.size() > size);
        });
    }

    private static OperationPage page(List<OperationSummary> found, Cursor next, MessageScan scan) {
        return new OperationPage(found, Optional.ofNullable(next).map(Cursor::encode), Optional.of(scan));
    }

    /** The decrypted message, or null (matching nothing) when there is none or it cannot be decrypted. */
    private String open(FailureStore.Row error) {
        try {
            return engine.codec().openText(error.message(), "an error message of operation " + error.operation());
        } catch (DecryptionException e) {
            return null;
        }
    }

    /**
     * Contains {@code text}, ignoring case, each {@code *} standing for any text (line breaks included). Each part is
     * looked for after the previous one with {@code indexOf}: the earliest occurrence of each is the one that leaves the
     * most room for the next, and no pattern can make it backtrack (a regex of many {@code .*} could, on a long message).
     */
    static Predicate<String> matcher(String text) {
        List<String> parts = java.util.Arrays.stream(text.toLowerCase(Locale.ROOT).split("\\*")).filter(p -> !p.isEmpty()).toList();
        return message -> {
            if (message == null) return false;
            String m = message.toLowerCase(Locale.ROOT);
            int from = 0;
            for (String part : parts) {
                int i = m.indexOf(part, from);
                if (i < 0) return false;
                from = i + part.length();
            }
            return true;
        };
    }

    /** Refuses a message search where it would have to be counted or acted on as a whole. */
    static void refuseCounting(OperationQuery query, String what) {
        if (query.errorMessage().isPresent()) {
            throw new InvalidQueryException("a search by error message cannot be " + what + ": messages are encrypted and are "
                    + "read only a page at a time, within a bound; leave out the message text, or select rows and act on the selection");
        }
    }
}
