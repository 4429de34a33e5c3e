package io.durableops.admin;

import io.durableops.core.ConfigurationException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The built-in {@link Authenticator}: users with PBKDF2 password hashes ({@link PasswordHash}), never passwords.
 *
 * <pre>{@code
 * PasswordUsers users = PasswordUsers.builder()
 *         .operator("ann", "pbkdf2-sha256:600000:...")
 *         .readOnly("bob", "pbkdf2-sha256:600000:...")
 *         .build();
 * }</pre>
 * Or from a properties file, one user a line: {@code ann = OPERATOR pbkdf2-sha256:600000:...}.
 */
public final class PasswordUsers implements Authenticator {
    private record Entry(AdminUser user, String hash) {
    }

    // why: a login for an unknown user costs as much as one for a known user, so timing does not reveal names
    private static final String DUMMY_HASH = PasswordHash.hash("not a password".toCharArray(), PasswordHash.DEFAULT_ITERATIONS);

    private final Map<String, Entry> users;

    private PasswordUsers(Map<String, Entry> users) {
        this.users = Map.copyOf(users);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads {@code name = ROLE hash} lines (ROLE: OPERATOR or READ_ONLY). */
    public static PasswordUsers load(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the users file " + file + ": " + e.getMessage());
        }
        Builder builder = builder();
        for (String name : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            String[] parts = properties.getProperty(name).trim().split("\\s+");
            Role role;
            try {
                role = Role.valueOf(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException("user '" + name + "' in " + file + " has no role: write 'name = OPERATOR <hash>' or 'name = READ_ONLY <hash>'");
            }
            if (parts.length != 2) throw new ConfigurationException("user '" + name + "' in " + file + " needs a role and a password hash");
            try {
                builder.user(AdminUser.of(name, role), parts[1]);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(file + ": " + e.getMessage());
            }
        }
        return builder.build();
    }

    @Override
    public Optional<AdminUser> login(String username, char[] password) {
        Entry entry = username == null ? null : users.get(username);
        if (entry == null) {
            PasswordHash.verify(password, DUMMY_HASH);
            return Optional.empty();
        }
        return PasswordHash.verify(password, entry.hash()) ? Optional.of(entry.user()) : Optional.empty();
    }

    public static final class Builder {
        private final Map<String, Entry> users = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder operator(String name, String passwordHash) {
            return user(AdminUser.of(name, Role.OPERATOR), passwordHash);
        }

        public Builder readOnly(String name, String passwordHash) {
            return user(AdminUser.of(name, Role.READ_ONLY), passwordHash);
        }

        public Builder user(AdminUser user, String passwordHash) {
            String weakness = PasswordHash.weakness(passwordHash);
            if (weakness != null) {
                throw new ConfigurationException("the password hash of user '" + user.name() + "' is refused: " + weakness
                        + "; make a new one with PasswordHash (java -cp durable-ops-admin-ui.jar io.durableops.admin.PasswordHash), "
                        + "and never write a password itself");
            }
            if (users.putIfAbsent(user.name(), new Entry(user, passwordHash)) != null) {
                throw new ConfigurationException("user '" + user.name() + "' is defined twice");
            }
            return this;
        }

        public PasswordUsers build() {
            if (users.isEmpty()) throw new ConfigurationException("PasswordUsers needs at least one user");
            return new PasswordUsers(users);
        }
    }
}
