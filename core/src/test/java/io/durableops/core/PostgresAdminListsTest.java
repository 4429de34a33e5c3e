package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The AdminListsContractTest suite on Postgres. */
class PostgresAdminListsTest extends AdminListsContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
