package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

/** The browser suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresAdminBrowserTest extends AdminBrowserContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
