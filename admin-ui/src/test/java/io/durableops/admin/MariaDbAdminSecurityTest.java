package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The security suite on MariaDB; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbAdminSecurityTest extends AdminSecurityContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
