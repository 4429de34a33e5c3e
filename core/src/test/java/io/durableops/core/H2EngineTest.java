package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2EngineTest extends EngineContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
