/**
 * Not supported API. All SQL, with bound parameters only: {@code JdbcStore} (operations and attempts),
 * {@code RelayStore}, {@code FlowStore}, {@code ClusterStore}, {@code PermitStore}, {@code ScheduleStore},
 * {@code StagedStore}, {@code ErrorStore}; one {@code Dialect} per database owns the SQL that differs; {@code Tx}
 * decides where transactions begin and end; the migrations are Flyway resources beside this package.
 */
package io.durableops.core.internal.store;
