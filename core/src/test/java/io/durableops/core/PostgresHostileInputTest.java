package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The HostileInputContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresHostileInputTest extends HostileInputContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
