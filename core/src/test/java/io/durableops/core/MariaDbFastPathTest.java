package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The fast path suite on MariaDB through MySQL Connector/J; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbFastPathTest extends FastPathContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
