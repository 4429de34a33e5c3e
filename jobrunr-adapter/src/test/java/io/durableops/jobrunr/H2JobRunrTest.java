package io.durableops.jobrunr;

import io.durableops.core.test.TestDatabase;

class H2JobRunrTest extends JobRunrContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
