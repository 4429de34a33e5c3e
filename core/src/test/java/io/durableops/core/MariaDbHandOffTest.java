package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The hand-off suite on MariaDB through MySQL Connector/J; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbHandOffTest extends HandOffContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
