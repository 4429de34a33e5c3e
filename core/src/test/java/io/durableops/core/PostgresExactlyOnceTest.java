package io.durableops.core;

import io.durableops.core.test.TestDatabase;

/** The ExactlyOnceContractTest suite on PostgreSQL; see {@link TestDatabase#postgres()} for when it runs. */
class PostgresExactlyOnceTest extends ExactlyOnceContractTest {
    @Override
    TestDatabase database() {
        return TestDatabase.postgres();
    }
}
