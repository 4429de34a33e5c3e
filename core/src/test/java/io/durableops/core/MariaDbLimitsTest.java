package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The LimitsContractTest suite on MariaDb; see {@link TestDatabase} for when it runs. */
class MariaDbLimitsTest extends LimitsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
