package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The FlowControlContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresFlowControlTest extends FlowControlContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
