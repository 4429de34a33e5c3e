package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The hostile-input suite on H2; see {@link TestDatabase} for when the MariaDB one runs. */
class H2HostileInputTest extends HostileInputContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.h2();
    }
}
