package io.durableops.core;

import io.durableops.core.test.TestDatabase;

class H2DefinitionViewTest extends DefinitionViewContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
