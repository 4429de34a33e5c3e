package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The AdminListsContractTest suite on MariaDb. */
class MariaDbAdminListsTest extends AdminListsContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
