package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The deploy suite on H2; see {@link TestDatabase} for when the MariaDB one runs. */
class H2DeployTest extends DeployContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
