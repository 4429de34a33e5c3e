package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2FastPathTest extends FastPathContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
