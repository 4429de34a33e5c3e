package io.durableops.admin;

/** What an admin UI user may do. */
public enum Role {
    /** Sees the operations list, operation pages, errors and the audit trail; changes nothing. */
    READ_ONLY,
    /** Everything a read-only user may, and every action: retry, retry from a step, run now, expire, fail, cancel, bulk. */
    OPERATOR
}
