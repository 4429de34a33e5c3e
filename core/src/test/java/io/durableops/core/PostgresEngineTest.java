package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The EngineContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresEngineTest extends EngineContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
