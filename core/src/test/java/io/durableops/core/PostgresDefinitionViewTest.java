package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class PostgresDefinitionViewTest extends DefinitionViewContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
