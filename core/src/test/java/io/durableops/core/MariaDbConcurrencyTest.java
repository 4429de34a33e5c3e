package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The concurrency suite on MariaDB; see {@link TestDatabase} for when the MariaDB one runs. */
class MariaDbConcurrencyTest extends ConcurrencyContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
