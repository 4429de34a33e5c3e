package io.durableops.admin;

import io.durableops.core.test.TestDatabase;

class H2AdminListsHttpTest extends AdminListsHttpContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
