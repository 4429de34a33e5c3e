package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The LimitsContractTest suite on Postgres; see {@link TestDatabase} for when it runs. */
class PostgresLimitsTest extends LimitsContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
