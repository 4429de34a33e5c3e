package io.durableops.jobrunr;

import io.durableops.core.test.TestDatabase;

class PostgresJobRunrTest extends JobRunrContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
