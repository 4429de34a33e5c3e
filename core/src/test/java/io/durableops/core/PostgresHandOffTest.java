package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The HandOffContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresHandOffTest extends HandOffContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
