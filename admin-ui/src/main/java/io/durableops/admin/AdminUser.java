package io.durableops.admin;

import java.util.Objects;

/**
 * A signed-in user of the admin UI: the name recorded in the audit trail, a role, and whether the user may see
 * decrypted operation data (input, globals, step arguments, results, the list's error messages) and search the
 * operations by error message. The operation page shows error messages and stack traces to every user.
 */
public record AdminUser(String name, Role role, boolean seesData) {
    public AdminUser {
        Objects.requireNonNull(role, "role");
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new IllegalArgumentException("a user name is 1 to 200 characters, was '" + name + "'");
        }
    }

    /** A user of that role; operators see decrypted data, read-only users do not. */
    public static AdminUser of(String name, Role role) {
        return new AdminUser(name, role, role == Role.OPERATOR);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }
}
