package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The concurrency suite on H2; see {@link TestDatabase} for when the MariaDB one runs. */
class H2ConcurrencyTest extends ConcurrencyContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
