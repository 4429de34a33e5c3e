package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2HandOffTest extends HandOffContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
