package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The HTTP suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresAdminHttpTest extends AdminHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
