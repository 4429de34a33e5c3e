package io.durableops.core.internal.schedule;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A cron expression: five fields (minute hour day-of-month month day-of-week) or six with seconds first. Each field is
 * a star, a number, a range {@code a-b}, a step ({@code 0/15}, {@code a-b/n}, or a star and {@code /n}), or a
 * comma-separated list of those;
 * months and days of the week also by name ({@code JAN}, {@code MON}); day of week 0 and 7 are Sunday. When both the
 * day of month and the day of week are restricted, a day matching either matches (as in Vixie cron).
 */
public final class Cron {
    private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
    private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");
    /** How far ahead a next time is looked for: an expression with no time within it (Feb 30) is refused. */
    private static final int YEARS_AHEAD = 8;

    private final String expression;
    private final BitSet seconds;
    private final BitSet minutes;
    private final BitSet hours;
    private final BitSet daysOfMonth;
    private final BitSet months;
    private final BitSet daysOfWeek;
    private final boolean anyDayOfMonth;
    private final boolean anyDayOfWeek;

    private Cron(String expression, String[] f) {
        this.expression = expression;
        int o = f.length == 6 ? 1 : 0;
        this.seconds = o == 1 ? field(f[0], 0, 59, List.of(), "second") : bits(0);
        this.minutes = field(f[o], 0, 59, List.of(), "minute");
        this.hours = field(f[o + 1], 0, 23, List.of(), "hour");
        this.daysOfMonth = field(f[o + 2], 1, 31, List.of(), "day of month");
        this.months = field(f[o + 3], 1, 12, MONTHS, "month");
        BitSet dow = field(f[o + 4], 0, 7, DAYS, "day of week");
        if (dow.get(7)) dow.set(0);
        this.daysOfWeek = dow;
        this.anyDayOfMonth = f[o + 2].equals("*") || f[o + 2].equals("?");
        this.anyDayOfWeek = f[o + 4].equals("*") || f[o + 4].equals("?");
    }

    /** Parses {@code expression}; throws {@link IllegalArgumentException} saying which field is wrong and why. */
    public static Cron parse(String expression) {
        if (expression == null || expression.isBlank()) throw new IllegalArgumentException("a cron expression must not be blank");
        String[] fields = expression.trim().toUpperCase(Locale.ROOT).split("\\s+");
        if (fields.length != 5 && fields.length != 6) {
            throw new IllegalArgumentException("cron expression '" + expression + "' has " + fields.length
                    + " fields; it needs 5 (minute hour day-of-month month day-of-week) or 6 (seconds first)");
        }
        Cron cron = new Cron(expression.trim(), fields);
        if (cron.next(Instant.parse("2000-01-01T00:00:00Z"), java.time.ZoneOffset.UTC) == null) {
            throw new IllegalArgumentException("cron expression '" + expression + "' matches no time (within " + YEARS_AHEAD + " years)");
        }
        return cron;
    }

    public String expression() {
        return expression;
    }

    /** The first time strictly after {@code after} that matches, in {@code zone}; null if none within eight years. */
    public Instant next(Instant after, ZoneId zone) {
        LocalDateTime t = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDate limit = t.toLocalDate().plusYears(YEARS_AHEAD);
        while (t.toLocalDate().isBefore(limit)) {
            if (!months.get(t.getMonthValue())) {
                t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
            } else if (!dayMatches(t.toLocalDate())) {
                t = t.toLocalDate().plusDays(1).atStartOfDay();
            } else if (!hours.get(t.getHour())) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
            } else if (!minutes.get(t.getMinute())) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
            } else if (!seconds.get(t.getSecond())) {
                t = t.plusSeconds(1);
            } else {
                // why ZonedDateTime.of: a local time in a DST gap moves forward by the gap, one in an overlap takes
                // the earlier offset; either way the instant is after `after` (checked, as a gap can move it back)
                Instant at = ZonedDateTime.of(t, zone).toInstant();
                if (at.isAfter(after)) return at;
                t = t.plusSeconds(1);
            }
        }
        return null;
    }

    private boolean dayMatches(LocalDate d) {
        boolean dom = daysOfMonth.get(d.getDayOfMonth());
        boolean dow = daysOfWeek.get(d.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : d.getDayOfWeek().getValue());
        if (anyDayOfMonth && anyDayOfWeek) return true;
        if (anyDayOfMonth) return dow;
        if (anyDayOfWeek) return dom;
        return dom || dow;
    }

    private static BitSet bits(int value) {
        BitSet b = new BitSet();
        b.set(value);
        return b;
    }

    private static BitSet field(String text, int min, int max, List<String> names, String what) {
        BitSet set = new BitSet();
        for (String part : text.split(",", -1)) {
            try {
                int step = 1;
                String range = part;
                int slash = part.indexOf('/');
                if (slash >= 0) {
                    step = Integer.parseInt(part.substring(slash + 1));
                    range = part.substring(0, slash);
                    if (step < 1) throw new IllegalArgumentException("a step must be at least 1");
                }
                int from;
                int to;
                if (range.equals("*") || range.equals("?")) {
                    from = min;
                    to = max;
                } else if (range.contains("-")) {
                    String[] ends = range.split("-", 2);
                    from = value(ends[0], names, min);
                    to = value(ends[1], names, min);
                } else {
                    from = value(range, names, min);
                    to = slash >= 0 ? max : from;
                }
                if (from < min || to > max || from > to) {
                    throw new IllegalArgumentException("values must be within " + min + "-" + max + " and a range must not run backwards");
                }
                for (int v = from; v <= to; v += step) set.set(v);
            } catch (IllegalArgumentException e) {
                String why = e instanceof NumberFormatException ? "not a number" : e.getMessage();
                throw new IllegalArgumentException("the " + what + " field '" + text + "' is not valid at '" + part + "': " + why);
            }
        }
        return set;
    }

    private static int value(String text, List<String> names, int min) {
        int named = names.indexOf(text);
        if (named >= 0) return named + min;
        return Integer.parseInt(text);
    }

    @Override
    public String toString() {
        return expression;
    }
}
