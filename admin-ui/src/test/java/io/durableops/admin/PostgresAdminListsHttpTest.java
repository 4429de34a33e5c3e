package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class PostgresAdminListsHttpTest extends AdminListsHttpContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
