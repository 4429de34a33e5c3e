package io.durableops.admin.internal;

import java.time.Duration;
import java.util.Locale;

/** Durations as people read them: "850 ms", "4.2 s", "5 min", "2 h", "3 days". */
final class Durations {
    private Durations() {
    }

    static String text(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) return ms + " ms";
        if (ms < 60_000) return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        if (ms < 7_200_000) return ms % 60_000 == 0 ? ms / 60_000 + " min" : String.format(Locale.ROOT, "%.1f min", ms / 60_000.0);
        if (ms < 172_800_000) return ms % 3_600_000 == 0 ? ms / 3_600_000 + " h" : String.format(Locale.ROOT, "%.1f h", ms / 3_600_000.0);
        return ms / 86_400_000 + " days";
    }
}
