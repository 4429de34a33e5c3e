package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class MariaDbFlowControlTest extends FlowControlContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
