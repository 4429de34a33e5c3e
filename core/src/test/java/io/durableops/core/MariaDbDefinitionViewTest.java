package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class MariaDbDefinitionViewTest extends DefinitionViewContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
