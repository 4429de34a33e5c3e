package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The deploy suite on MariaDB; see {@link TestDatabase} for when the MariaDB one runs. */
class MariaDbDeployTest extends DeployContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
