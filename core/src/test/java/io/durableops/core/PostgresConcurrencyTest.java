package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The ConcurrencyContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresConcurrencyTest extends ConcurrencyContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
