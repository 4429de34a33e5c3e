package io.durableops.core.admin;

import io.durableops.core.OperationStatus;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How many operations match per status, counted up to a bound ({@link OperationAdmin#countByStatus(OperationQuery, int)}):
 * a status with more matching operations than the bound has the count {@code bound} and is {@linkplain #isCapped
 * capped}, read "{@code bound}+"; the others are exact. Every status is present, with 0 where none match.
 *
 * @param counts the count of each status, at most {@code bound}
 * @param bound  the most operations counted per status
 * @param capped the statuses that have more matching operations than {@code bound}
 */
public record StatusCounts(Map<OperationStatus, Long> counts, int bound, Set<OperationStatus> capped) {
    public StatusCounts {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(capped, "capped");
        if (bound < 1) throw new IllegalArgumentException("a count bound is at least 1, was " + bound);
        Map<OperationStatus, Long> all = new EnumMap<>(OperationStatus.class);
        for (OperationStatus s : OperationStatus.values()) all.put(s, Math.min(bound, counts.getOrDefault(s, 0L)));
        counts = Collections.unmodifiableMap(all);
        capped = capped.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capped));
    }

    /** The count of one status: exact, or {@code bound} when {@linkplain #isCapped capped}. */
    public long count(OperationStatus status) {
        return counts.get(status);
    }

    /** True when more than {@code bound} operations of this status match. */
    public boolean isCapped(OperationStatus status) {
        return capped.contains(status);
    }

    /** The sum of the counts of {@code statuses} (of every status when empty): exact unless {@link #anyCapped} of them. */
    public long total(Set<OperationStatus> statuses) {
        return (statuses.isEmpty() ? EnumSet.allOf(OperationStatus.class) : statuses).stream().mapToLong(this::count).sum();
    }

    /** True when one of {@code statuses} (of every status when empty) is capped, so their total is a lower bound. */
    public boolean anyCapped(Set<OperationStatus> statuses) {
        return (statuses.isEmpty() ? EnumSet.allOf(OperationStatus.class) : statuses).stream().anyMatch(this::isCapped);
    }
}
