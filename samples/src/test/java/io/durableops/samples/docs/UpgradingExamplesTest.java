package io.durableops.samples.docs;

import io.durableops.core.AesGcmEncryptor;
import io.durableops.core.DeployCheck;
import io.durableops.core.DurableOps;
import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.OperationId;
import io.durableops.core.admin.OperationQuery;
import io.durableops.core.OperationStatus;
import io.durableops.core.WaitOptions;
import io.durableops.core.testing.ManualDispatcher;
import io.durableops.core.testing.MutableClock;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The code of docs/upgrading.md, compiled and run by the build: a wait renamed in version 2, both versions side by
 * side, the pre-deploy check, and an operation paused by a deploy that dropped version 1 too early, moved on.
 */
class UpgradingExamplesTest {
    static final String KEY = AesGcmEncryptor.generateKey();

    // tag::versions[]
    /** Version 1, as it was deployed: keep it registered until its operations have drained. */
    static final class ApprovalV1 implements OperationDefinition {
        @Override
        public String name() {
            return "approval";
        }

        @Override
        public void define(Flow flow) {
            flow.action("prepare", ctx -> ctx.set("prepared", true))
                    .awaitSignal("await-approval", "approved", WaitOptions.defaults())
                    .result("done");
        }
    }

    /** Version 2 renames the wait: a new version, registered beside version 1. */
    static final class ApprovalV2 implements OperationDefinition {
        @Override
        public String name() {
            return "approval";
        }

        @Override
        public int version() {
            return 2;
        }

        @Override
        public void define(Flow flow) {
            flow.action("prepare", ctx -> ctx.set("prepared", true))
                    .awaitSignal("await-sign-off", "approved", WaitOptions.defaults())
                    .result("done");
        }
    }
    // end::versions[]

    private static JdbcDataSource database() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:upgrading-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

    private static DurableOps node(JdbcDataSource dataSource, MutableClock clock, ManualDispatcher dispatcher, OperationDefinition... build) {
        return DurableOps.builder().dataSource(dataSource).encryptor(AesGcmEncryptor.of("k1", KEY)).clock(clock).dispatcher(dispatcher)
                .relayInterval(Duration.ZERO).strandedGrace(Duration.ofMinutes(5)).register(build).build();
    }

    @Test
    void bothVersionsRunSideBySideAndTheCheckSaysWhenVersionOneMayGo() {
        JdbcDataSource dataSource = database();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
        ManualDispatcher oldDispatcher = new ManualDispatcher(clock);
        DurableOps old = node(dataSource, clock, oldDispatcher, new ApprovalV1());
        OperationId waiting = old.scheduler().enqueue("approval", Map.of());
        oldDispatcher.runDue();
        old.close();

        // tag::check[]
        DeployCheck.Report report = DeployCheck.against(dataSource, List.of(new ApprovalV2()));
        if (!report.safe()) System.out.println(report.describe());
        // approval version 1 at step 'await-approval': 1 operation (for example ...): the new build's versions [2] have no step ...
        // end::check[]
        assertThat(report.safe()).isFalse();
        assertThat(DeployCheck.against(dataSource, List.of(new ApprovalV1(), new ApprovalV2())).safe()).isTrue();

        ManualDispatcher dispatcher = new ManualDispatcher(clock);
        try (DurableOps ops = node(dataSource, clock, dispatcher, new ApprovalV1(), new ApprovalV2())) {
            OperationId fresh = ops.scheduler().enqueue("approval", Map.of());
            dispatcher.runDue();
            ops.scheduler().signal(waiting, "approved", null);
            ops.scheduler().signal(fresh, "approved", null);
            dispatcher.runDue();
            assertThat(ops.scheduler().get(waiting).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(ops.scheduler().get(fresh).definitionVersion()).isEqualTo(2);
            // tag::drained[]
            long stillOnVersionOne = ops.admin().count(OperationQuery.builder().definition("approval").definitionVersion(1)
                    .statuses(OperationStatus.RUNNING, OperationStatus.PAUSED).build());
            // zero: the next deploy may drop ApprovalV1
            // end::drained[]
            assertThat(stillOnVersionOne).isZero();
        }
    }

    @Test
    void anOperationPausedByADeployIsMovedToTheRenamedStep() {
        JdbcDataSource dataSource = database();
        MutableClock clock = new MutableClock(Instant.parse("2026-12-07T09:00:00Z"));
        ManualDispatcher oldDispatcher = new ManualDispatcher(clock);
        DurableOps old = node(dataSource, clock, oldDispatcher, new ApprovalV1());
        OperationId id = old.scheduler().enqueue("approval", Map.of());
        oldDispatcher.runDue();
        old.close();

        ManualDispatcher dispatcher = new ManualDispatcher(clock);
        try (DurableOps ops = node(dataSource, clock, dispatcher, new ApprovalV2())) { // version 1 dropped too early
            ops.scheduler().signal(id, "approved", null);
            ops.relayNow();
            clock.advance(Duration.ofMinutes(6)); // past the stranded grace
            ops.relayNow();
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.PAUSED);
            // tag::move[]
            ops.admin().as("ann").move(id, "await-sign-off"); // a step of the running version; the kept signal is consumed there
            // end::move[]
            dispatcher.runDue();
            assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
        }
    }
}
