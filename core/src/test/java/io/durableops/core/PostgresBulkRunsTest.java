package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsContractTest suite on Postgres. */
class PostgresBulkRunsTest extends BulkRunsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
