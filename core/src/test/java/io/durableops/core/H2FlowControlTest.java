package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2FlowControlTest extends FlowControlContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
