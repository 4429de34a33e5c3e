package io.durableops.jobrunr;

import io.durableops.core.test.TestDatabase;

class MariaDbJobRunrTest extends JobRunrContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
