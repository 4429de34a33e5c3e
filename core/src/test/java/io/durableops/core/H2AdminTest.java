package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2AdminTest extends AdminContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
