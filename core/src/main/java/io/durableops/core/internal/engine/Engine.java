package io.durableops.core.internal.engine;

import io.durableops.core.FastPath;
import io.durableops.core.internal.flow.CompiledDefinition;
import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.json.JsonCodec;
import io.durableops.core.internal.store.FlowStore;
import io.durableops.core.internal.store.JdbcStore;
import io.durableops.core.internal.store.Tx;
import io.durableops.core.internal.telemetry.Telemetry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** What every part of the engine shares. */
public record Engine(Tx tx, JdbcStore store, FlowStore flow, Definitions definitions, JsonCodec codec, Clock clock, Duration lease,
                     FastPath fastPath, Telemetry telemetry, Awaits awaits) {
    /** The fast path of {@code definition}: its own setting, or the runtime's. */
    public FastPath fastPathOf(CompiledDefinition definition) {
        return definition.fastPath() != null ? definition.fastPath() : fastPath;
    }

    /** The clock's instant at the microsecond precision the database stores. */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
