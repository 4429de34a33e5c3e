package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class MariaDbExactlyOnceTest extends ExactlyOnceContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
