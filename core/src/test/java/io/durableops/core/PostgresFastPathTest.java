package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The FastPathContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresFastPathTest extends FastPathContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
