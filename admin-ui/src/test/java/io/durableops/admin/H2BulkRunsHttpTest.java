package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsHttpContractTest suite on H2. */
class H2BulkRunsHttpTest extends BulkRunsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
