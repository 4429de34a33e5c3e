package io.durableops.core.internal.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TimestampTextTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    @Test
    void writesUtcWithMicrosecondsExactlyAsTheReferenceFormatter() {
        assertThat(SqlValues.timestamp(Instant.parse("2026-11-21T10:00:00.123456789Z"))).isEqualTo("2026-11-21 10:00:00.123456");
        assertThat(SqlValues.timestamp(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01 00:00:00.000000");
        assertThat(SqlValues.timestamp(Instant.parse("9999-01-01T00:00:00Z"))).isEqualTo("9999-01-01 00:00:00.000000");
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 10_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L), random.nextInt(1_000_000_000));
            assertThat(SqlValues.timestamp(t)).isEqualTo(REFERENCE.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)));
        }
        assertThatThrownBy(() -> SqlValues.timestamp(Instant.parse("+10000-01-01T00:00:00Z"))).isInstanceOf(IllegalArgumentException.class);
    }
}
