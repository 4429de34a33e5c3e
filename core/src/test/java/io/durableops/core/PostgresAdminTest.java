package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The AdminContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresAdminTest extends AdminContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
