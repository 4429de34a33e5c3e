package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class H2AdminSecurityTest extends AdminSecurityContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
