package io.durableops.core.internal.engine;

import io.durableops.core.DecryptionException;
import io.durableops.core.SerializationException;
import io.durableops.core.StagedWork;
import io.durableops.core.internal.store.Rows;
import io.durableops.core.internal.store.StagedStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's pass over staged work whose hand-over after its commit did not complete. Each item is isolated: one whose
 * payload cannot be decrypted is set aside at once with its reason, one the dispatcher refuses alone is offered again on
 * the next passes and set aside after {@link #MOST_REFUSALS} of them; the others are handed over meanwhile.
 */
final class StagedRelay {
    private static final Logger LOG = LoggerFactory.getLogger(StagedRelay.class);
    /** How many passes in a row the dispatcher may refuse one item alone before it is set aside. */
    static final int MOST_REFUSALS = 10;

    private final Engine engine;
    private final Dispatch dispatch;
    /** Items the dispatcher refused alone, with how many passes in a row it did (this node's count). */
    private final Map<UUID, Integer> refusals = new ConcurrentHashMap<>();

    StagedRelay(Engine engine, Dispatch dispatch) {
        this.engine = engine;
        this.dispatch = dispatch;
    }

    /** Hands over what was staged before {@code before}; returns how many items went. */
    int pass(Instant before, int batch) {
        List<Rows.Staged> rows = engine.tx().auto("find staged work", c -> StagedStore.before(c, before, batch));
        if (rows.isEmpty()) return 0;
        List<StagedWork> work = new ArrayList<>();
        for (Rows.Staged row : rows) {
            try {
                work.add(new StagedWork(row.id(), row.kind(), engine.codec().openText(row.payload(), "staged work " + row.id())));
            } catch (DecryptionException | SerializationException | IllegalArgumentException e) {
                setAside(row.id(), row.kind(), e.getMessage());
            }
        }
        if (work.isEmpty()) return 0;
        LOG.info("relay dispatches {} staged item(s) whose dispatch after commit did not complete", work.size());
        int sent = dispatch.sendStaged(work);
        if (sent == work.size()) {
            work.forEach(w -> refusals.remove(w.id()));
            return sent;
        }
        if (work.size() == 1) {
            refusedAlone(work.get(0));
            return 0;
        }
        // why one at a time: the dispatcher refused the batch; the items it takes alone go, the others are counted
        sent = 0;
        for (StagedWork item : work) {
            if (dispatch.sendStaged(List.of(item)) == 1) {
                refusals.remove(item.id());
                sent++;
            } else {
                refusedAlone(item);
            }
        }
        return sent;
    }

    /** Counts a refusal of {@code item} alone; sets it aside after {@link #MOST_REFUSALS}. */
    private void refusedAlone(StagedWork item) {
        int count = refusals.merge(item.id(), 1, Integer::sum);
        if (count >= MOST_REFUSALS) {
            refusals.remove(item.id());
            setAside(item.id(), item.kind(), "the dispatcher refused it on " + count + " passes in a row");
        }
    }

    private void setAside(UUID id, String kind, String reason) {
        try {
            engine.tx().run("set staged work " + id + " aside", c -> {
                StagedStore.setAside(c, id, reason, engine.now());
                return null;
            });
            LOG.warn("staged work {} ({}) set aside: {}", id, kind, reason);
        } catch (RuntimeException e) {
            LOG.warn("could not set staged work {} aside; it is offered again on the next pass: {}", id, io.durableops.core.internal.Logs.describe(e));
        }
    }
}
