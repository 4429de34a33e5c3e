package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class H2AdminHttpTest extends AdminHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
