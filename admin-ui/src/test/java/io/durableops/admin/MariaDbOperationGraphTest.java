package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class MariaDbOperationGraphTest extends OperationGraphContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
