package io.durableops.admin.internal;

import io.durableops.core.StorageException;
import io.durableops.core.admin.BulkAction;
import io.durableops.core.admin.BulkListener;
import io.durableops.core.admin.BulkResult;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The UI's bulk runs without a database: bounded, tracked, and ended between two operations when the UI stops. */
class BulkRunsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    final BulkRuns runs = new BulkRuns(Clock.systemUTC());

    /** A run of 3 that hears of its first operation, then waits for {@code release} before the other two. */
    static BiFunction<UUID, BulkListener, BulkResult> pausing(CountDownLatch release) {
        return (id, listener) -> {
            listener.progress(3, 0, 0);
            listener.progress(3, 1, 0);
            try {
                if (!release.await(WAIT.toSeconds(), TimeUnit.SECONDS)) throw new IllegalStateException("never released");
            } catch (InterruptedException e) {
                throw new IllegalStateException("interrupted");
            }
            listener.progress(3, 2, 0);
            listener.progress(3, 2, 1);
            return new BulkResult(BulkAction.RETRY, 2, 1, id);
        };
    }

    @Test
    void twoRunAtOnceAThirdIsRefusedAndEachEndsWithItsCounts() {
        CountDownLatch release = new CountDownLatch(1);
        BulkRuns.Run first = runs.start(BulkAction.RETRY, "all operations", "", "ann", pausing(release));
        BulkRuns.Run second = runs.start(BulkAction.RETRY, "all operations", "", "ann", pausing(release));
        await().atMost(WAIT).until(() -> first.changed() == 1 && second.changed() == 1);
        assertThat(first.state()).isEqualTo(BulkRuns.State.RUNNING);
        assertThat(first.eligible()).isEqualTo(3);
        assertThatThrownBy(() -> runs.start(BulkAction.RETRY, "all operations", "", "ann", pausing(release)))
                .isInstanceOf(HttpProblem.class).hasMessageContaining("2 bulk actions are already running")
                .satisfies(e -> assertThat(((HttpProblem) e).status).isEqualTo(503));
        release.countDown();
        await().atMost(WAIT).until(() -> first.state() == BulkRuns.State.DONE && second.state() == BulkRuns.State.DONE);
        assertThat(first.skipped()).isEqualTo(1);
        assertThat(first.finishedAt()).isNotNull();
        assertThat(runs.find(first.id)).containsSame(first);
        await().atMost(WAIT).until(() -> {
            try {
                runs.start(BulkAction.RETRY, "all operations", "", "ann", (id, l) -> new BulkResult(BulkAction.RETRY, 0, 0, id));
                return true;
            } catch (HttpProblem stillBusy) {
                return false; // a thread that ended its run is idle again a moment later
            }
        });
        runs.stop();
    }

    @Test
    void stoppingTheUiEndsARunBetweenTwoOperationsAndSaysSo() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        BulkRuns.Run run = runs.start(BulkAction.CANCEL, "definition = shipping", "definition=shipping", "ann", pausing(release));
        await().atMost(WAIT).until(() -> run.changed() == 1);
        Thread stopper = new Thread(runs::stop);
        stopper.start();
        await().atMost(WAIT).until(() -> {
            try {
                runs.start(BulkAction.RETRY, "x", "", "ann", pausing(release));
                return false;
            } catch (HttpProblem e) {
                return e.getMessage().contains("stopping");
            }
        });
        release.countDown();
        stopper.join(WAIT.toMillis());
        assertThat(stopper.isAlive()).isFalse();
        assertThat(run.state()).isEqualTo(BulkRuns.State.STOPPED);
        assertThat(run.changed()).as("two done, as it heard; the third never tried").isEqualTo(2);
        assertThat(run.skipped()).isZero();
        assertThat(run.error()).contains("stopped before the run ended", "run the same action again");
    }

    @Test
    void aRunThatFailsKeepsItsCountsAndAPlainReasonNeverTheDatabasesMessage() {
        BulkRuns.Run run = runs.start(BulkAction.EXPIRE, "all operations", "", "ann", (id, listener) -> {
            listener.progress(2, 1, 0);
            throw new StorageException("expire: Table 'secret_schema.durable_operations' doesn't exist", new java.sql.SQLException("boom"));
        });
        await().atMost(WAIT).until(() -> run.state() == BulkRuns.State.FAILED);
        assertThat(run.changed()).isEqualTo(1);
        assertThat(run.error()).contains("the database could not be read or written").doesNotContain("secret_schema");
        assertThatThrownBy(() -> runs.runHere(BulkAction.EXPIRE, "all", "", "ann", (id, l) -> {
            throw new IllegalArgumentException("bad reason");
        })).isInstanceOf(IllegalArgumentException.class);
        runs.stop();
    }
}
