package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The engine suite on MariaDB through MySQL Connector/J; see {@link TestDatabase#mariaDb()} for when it runs. */
class MariaDbEngineTest extends EngineContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.mariaDb();
    }
}
