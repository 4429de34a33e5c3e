package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class MariaDbAdminListsHttpTest extends AdminListsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
