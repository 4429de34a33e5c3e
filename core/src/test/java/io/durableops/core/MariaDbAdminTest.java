package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The admin suite on MariaDB; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbAdminTest extends AdminContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
