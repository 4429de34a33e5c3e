package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class H2OperationGraphTest extends OperationGraphContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
