package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class H2AdminBrowserTest extends AdminBrowserContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
