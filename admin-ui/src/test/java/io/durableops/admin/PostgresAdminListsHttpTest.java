package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class PostgresAdminListsHttpTest extends AdminListsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
