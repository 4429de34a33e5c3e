package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2ExactlyOnceTest extends ExactlyOnceContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
