package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsHttpContractTest suite on Postgres. */
class PostgresBulkRunsHttpTest extends BulkRunsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
