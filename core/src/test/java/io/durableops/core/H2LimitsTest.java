package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The LimitsContractTest suite on H2; see {@link TestDatabase} for when it runs. */
class H2LimitsTest extends LimitsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
