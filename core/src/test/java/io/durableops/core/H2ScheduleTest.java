package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The ScheduleContractTest suite on H2; see {@link TestDatabase} for when it runs. */
class H2ScheduleTest extends ScheduleContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
