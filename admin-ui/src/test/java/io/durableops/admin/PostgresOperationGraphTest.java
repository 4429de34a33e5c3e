package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class PostgresOperationGraphTest extends OperationGraphContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
