package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2AdminTest extends AdminContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
