package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The BulkRunsContractTest suite on H2. */
class H2BulkRunsTest extends BulkRunsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
