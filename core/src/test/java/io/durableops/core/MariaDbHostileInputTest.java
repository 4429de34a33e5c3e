package io.durableops.core;

import io.durableops.core.admin.AuditEntry;
import io.durableops.core.test.Definitions;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The hostile-input suite on MariaDB; see {@link TestDatabase} for when it runs. */
class MariaDbHostileInputTest extends HostileInputContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }

    @Test
    void keysCompareByteForByteInADatabaseCreatedWithAnotherDefault() {
        for (String options : List.of("CHARACTER SET latin1 COLLATE latin1_swedish_ci", "CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci")) {
            try (TestDatabase other = TestDatabase.mariaDbCreatedWith("durable_other_default", options);
                 DurableOps otherOps = DurableOps.builder().dataSource(other.dataSource()).encryptor(Encryptor.plaintext()).clock(clock)
                         .dispatcher(new io.durableops.core.testing.ManualDispatcher(clock)).relayInterval(Duration.ZERO)
                         .register(Definitions.define("keyed", f -> f.result("done")),
                                 Definitions.define("slow", f -> f.action("later", ctx -> { }, StepOptions.delay(Duration.ofHours(1))).result("done")))
                         .build()) {
                OperationId slow = otherOps.scheduler().enqueue("slow", Map.of());
                otherOps.admin().as("ann \uD83D\uDE00").fail(slow, "declined \uD83D\uDE08 by the bank");
                assertThat(otherOps.scheduler().get(slow).failureReason()).hasValue("declined \uD83D\uDE08 by the bank");
                assertThat(otherOps.admin().audit(slow)).extracting(AuditEntry::actor).containsExactly("ann \uD83D\uDE00");
                for (List<String> pair : DISTINCT) {
                    OperationId first = otherOps.scheduler().enqueue("keyed", Map.of(), EnqueueOptions.idempotencyKey(pair.get(0)));
                    OperationId second = otherOps.scheduler().enqueue("keyed", Map.of(), EnqueueOptions.idempotencyKey(pair.get(1)));
                    assertThat(second).as("%s: '%s' and '%s'", options, pair.get(0), pair.get(1)).isNotEqualTo(first);
                }
            }
        }
    }
}
