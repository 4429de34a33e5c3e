package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The DeployContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresDeployTest extends DeployContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
