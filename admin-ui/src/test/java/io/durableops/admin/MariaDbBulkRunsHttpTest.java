package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsHttpContractTest suite on MariaDb. */
class MariaDbBulkRunsHttpTest extends BulkRunsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
