package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The AdminListsContractTest suite on H2. */
class H2AdminListsTest extends AdminListsContractTest {
    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }
}
