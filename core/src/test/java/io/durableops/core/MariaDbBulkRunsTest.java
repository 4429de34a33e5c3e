package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsContractTest suite on MariaDb. */
class MariaDbBulkRunsTest extends BulkRunsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
