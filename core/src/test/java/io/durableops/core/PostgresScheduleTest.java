package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The ScheduleContractTest suite on Postgres; see {@link TestDatabase} for when it runs. */
class PostgresScheduleTest extends ScheduleContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
