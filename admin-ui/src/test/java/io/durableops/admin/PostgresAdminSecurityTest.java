package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The security suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresAdminSecurityTest extends AdminSecurityContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
