package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The browser suite on MariaDB; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbAdminBrowserTest extends AdminBrowserContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
