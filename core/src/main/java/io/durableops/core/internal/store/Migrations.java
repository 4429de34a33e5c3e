package io.durableops.core.internal.store;

import io.durableops.core.StorageException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;

/**
 * Brings Durable Ops' tables up to date with Flyway, using its own migration location and its own history table so
 * it never touches the application's migrations.
 */
public final class Migrations {
    public static final String LOCATION = "classpath:io/durableops/core/db/migration";
    public static final String HISTORY_TABLE = "durable_ops_schema_history";

    private Migrations() {
    }

    public static void migrate(DataSource dataSource, Dialect dialect) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocations().toArray(String[]::new))
                    .table(HISTORY_TABLE)
                    .placeholders(dialect.migrationPlaceholders())
                    // why: the application's own tables are usually in the same schema; start our history at 0 so V1 still runs
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StorageException("could not migrate Durable Ops' tables (" + dialect.name() + "): " + e.getMessage(), e);
        }
    }
}
