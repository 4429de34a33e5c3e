package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The HTTP suite on MariaDB; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbAdminHttpTest extends AdminHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
