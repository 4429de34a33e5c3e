package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class PostgresOperationGraphTest extends OperationGraphContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.postgres();
    }
}
