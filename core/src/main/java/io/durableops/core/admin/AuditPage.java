package io.durableops.core.admin;

import java.util.List;
import java.util.Optional;

/**
 * One page of the audit trail, newest first. {@code nextBefore} is present when older entries may follow: pass it to
 * {@link AuditQuery.Builder#before(long)} for the next page (keyset paging on the entries' sequence numbers).
 */
public record AuditPage(List<AuditEntry> entries, Optional<Long> nextBefore) {
    public AuditPage {
        entries = List.copyOf(entries);
    }
}
