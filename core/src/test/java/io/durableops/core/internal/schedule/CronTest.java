package io.durableops.core.internal.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CronTest {
    static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

    Instant next(String cron, String after, ZoneId zone) {
        return Cron.parse(cron).next(Instant.parse(after), zone);
    }

    @Test
    void fieldsRangesStepsListsAndNames() {
        assertThat(next("*/15 * * * *", "2026-01-01T10:07:00Z", ZoneOffset.UTC)).isEqualTo("2026-01-01T10:15:00Z");
        assertThat(next("0 9-17/4 * * *", "2026-01-01T13:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-01-01T17:00:00Z");
        assertThat(next("30 8 * * MON-FRI", "2026-01-02T09:00:00Z", ZoneOffset.UTC)).as("Friday past 8:30: Monday")
                .isEqualTo("2026-01-05T08:30:00Z");
        assertThat(next("0 0 1 JAN,JUL *", "2026-02-01T00:00:00Z", ZoneOffset.UTC)).isEqualTo("2026-07-01T00:00:00Z");
        assertThat(next("0 0 * * 7", "2026-01-01T00:00:00Z", ZoneOffset.UTC)).as("7 is Sunday").isEqualTo("2026-01-04T00:00:00Z");
        assertThat(next("*/10 * * * * *", "2026-01-01T00:00:05Z", ZoneOffset.UTC)).as("six fields: seconds").isEqualTo("2026-01-01T00:00:10Z");
        assertThat(next("0 0 13 * FRI", "2026-01-01T00:00:00Z", ZoneOffset.UTC)).as("day of month or day of week")
                .isEqualTo("2026-01-02T00:00:00Z");
        assertThat(next("0 0 29 2 *", "2026-03-01T00:00:00Z", ZoneOffset.UTC)).as("the next leap day").isEqualTo("2028-02-29T00:00:00Z");
        assertThat(next("0 * * * *", "2026-01-01T10:00:00Z", ZoneOffset.UTC)).as("strictly after").isEqualTo("2026-01-01T11:00:00Z");
    }

    @Test
    void timeZonesAndDaylightSaving() {
        assertThat(next("0 2 * * *", "2026-06-30T12:00:00Z", BRUSSELS)).as("summer: UTC+2").isEqualTo("2026-07-01T00:00:00Z");
        assertThat(next("0 2 * * *", "2026-01-01T00:00:00Z", BRUSSELS)).as("winter: UTC+1").isEqualTo("2026-01-01T01:00:00Z");
        // 2026-03-29 02:00 does not exist in Brussels (clocks go 02:00 -> 03:00): the tick moves forward by the gap
        assertThat(next("30 2 * * *", "2026-03-28T12:00:00Z", BRUSSELS)).isEqualTo("2026-03-29T01:30:00Z");
        // 2026-10-25 02:30 happens twice in Brussels: one tick, at the first
        Instant first = next("30 2 * * *", "2026-10-24T12:00:00Z", BRUSSELS);
        assertThat(first).isEqualTo("2026-10-25T00:30:00Z");
        assertThat(Cron.parse("30 2 * * *").next(first, BRUSSELS)).isEqualTo("2026-10-26T01:30:00Z");
    }

    @Test
    void mistakesSayWhichField() {
        assertThatThrownBy(() -> Cron.parse("* * * *")).hasMessageContaining("4 fields");
        assertThatThrownBy(() -> Cron.parse("60 * * * *")).hasMessageContaining("minute field");
        assertThatThrownBy(() -> Cron.parse("* 24 * * *")).hasMessageContaining("hour field");
        assertThatThrownBy(() -> Cron.parse("* * * FOO *")).hasMessageContaining("month field").hasMessageContaining("not a number");
        assertThatThrownBy(() -> Cron.parse("*/0 * * * *")).hasMessageContaining("step");
        assertThatThrownBy(() -> Cron.parse("5-1 * * * *")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> Cron.parse("0 0 31 4 *")).hasMessageContaining("matches no time");
        assertThatThrownBy(() -> Cron.parse(" ")).hasMessageContaining("blank");
    }
}
