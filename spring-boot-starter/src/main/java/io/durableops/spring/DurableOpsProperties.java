package io.durableops.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code durable-ops.*} properties of the Spring Boot starter. Every one has the default of
 * {@code DurableOps.builder()}; see docs/spring-boot.md for the table.
 */
@ConfigurationProperties(prefix = "durable-ops")
public class DurableOpsProperties {
    /** Whether the starter builds a Durable Ops runtime at all. */
    private boolean enabled = true;
    /**
     * The runtime's name: the JobRunr jobs of its steps name it, so it must be the same on every node of the application
     * (it is not a per-node name; nodes are told apart by an id of their own). Change it only to run several runtimes in
     * one JVM.
     */
    private String name = "default";
    /** Whether Durable Ops' own Flyway migrations (history table durable_ops_schema_history) run at start-up. */
    private boolean migrate = true;
    /** How often the relay runs: dispatching what was not dispatched, deadlines, lease recovery, retention. */
    private Duration relayInterval = Duration.ofSeconds(1);
    /** How long a graceful shutdown lets running steps finish before it hands them back uncounted. */
    private Duration drainTimeout = Duration.ofSeconds(30);
    /** How long finished operations are kept before the relay deletes them; 0 keeps them for ever. */
    private Duration retention = Duration.ofDays(90);
    /** How long a running attempt is owned by its node without renewal. */
    private Duration lease = Duration.ofSeconds(60);
    /** How long no live node may have an operation's step before the operation is PAUSED. */
    private Duration strandedGrace = Duration.ofMinutes(5);
    private final Encryption encryption = new Encryption();
    private final FastPathProperties fastPath = new FastPathProperties();
    private final AdminUiProperties adminUi = new AdminUiProperties();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public boolean isMigrate() {
        return migrate;
    }

    public void setMigrate(boolean migrate) {
        this.migrate = migrate;
    }

    public Duration getRelayInterval() {
        return relayInterval;
    }

    public void setRelayInterval(Duration relayInterval) {
        this.relayInterval = relayInterval;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public Duration getStrandedGrace() {
        return strandedGrace;
    }

    public void setStrandedGrace(Duration strandedGrace) {
        this.strandedGrace = strandedGrace;
    }

    public Encryption getEncryption() {
        return encryption;
    }

    public FastPathProperties getFastPath() {
        return fastPath;
    }

    public AdminUiProperties getAdminUi() {
        return adminUi;
    }

    /** {@code durable-ops.encryption.*}: the AES-256-GCM keys, unless the application declares an {@code Encryptor} bean. */
    public static class Encryption {
        /** The id of the key new data is encrypted with; one of the keys. */
        private String primaryKeyId;
        /** Key id to base64 AES-256 key: the primary key, and older keys still needed to read data written before a rotation. */
        private Map<String, String> keys = new LinkedHashMap<>();
        /** Store user data unencrypted, on purpose (development only); ignored when keys are given. */
        private boolean plaintext;

        public String getPrimaryKeyId() {
            return primaryKeyId;
        }

        public void setPrimaryKeyId(String primaryKeyId) {
            this.primaryKeyId = primaryKeyId;
        }

        public Map<String, String> getKeys() {
            return keys;
        }

        public void setKeys(Map<String, String> keys) {
            this.keys = keys;
        }

        public boolean isPlaintext() {
            return plaintext;
        }

        public void setPlaintext(boolean plaintext) {
            this.plaintext = plaintext;
        }

        @Override
        public String toString() {
            return "Encryption[primaryKeyId=" + primaryKeyId + ", keys=" + keys.keySet() + ", plaintext=" + plaintext + "]"; // never the keys
        }
    }

    /** {@code durable-ops.fast-path.*}: whether a worker runs an operation's next due steps itself. */
    public static class FastPathProperties {
        /** Whether the fast path is on (off: every step its own JobRunr job). */
        private boolean enabled;
        /** At most this many consecutive steps of one operation in one turn (at least 2). */
        private int maxSteps = 32;
        /** At most this long per turn. */
        private Duration maxTime = Duration.ofSeconds(1);
        /** How many fast-path turns this node runs at once; empty: twice the available processors. */
        private Integer turns;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getMaxSteps() {
            return maxSteps;
        }

        public void setMaxSteps(int maxSteps) {
            this.maxSteps = maxSteps;
        }

        public Duration getMaxTime() {
            return maxTime;
        }

        public void setMaxTime(Duration maxTime) {
            this.maxTime = maxTime;
        }

        public Integer getTurns() {
            return turns;
        }

        public void setTurns(Integer turns) {
            this.turns = turns;
        }
    }

    /** {@code durable-ops.admin-ui.*}: the operators' UI, when durable-ops-admin-ui is on the classpath. */
    public static class AdminUiProperties {
        /** Whether to start the admin UI (it needs durable-ops-admin-ui on the classpath). */
        private boolean enabled;
        /** The address it binds to; keep the loopback unless a proxy in front of it authenticates. */
        private String host = "127.0.0.1";
        /** Its port; 0 picks a free one. */
        private int port = 7070;
        /**
         * A users file (lines of name, role and password hash; see docs/admin-ui.md), unless the application declares
         * an {@code io.durableops.admin.Authenticator} bean.
         */
        private String usersFile;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getUsersFile() {
            return usersFile;
        }

        public void setUsersFile(String usersFile) {
            this.usersFile = usersFile;
        }
    }
}
