package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The ScheduleContractTest suite on MariaDb; see {@link TestDatabase} for when it runs. */
class MariaDbScheduleTest extends ScheduleContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
