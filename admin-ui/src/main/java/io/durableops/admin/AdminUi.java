package io.durableops.admin;

import io.durableops.admin.internal.Routes;
import io.durableops.admin.internal.Settings;
import io.durableops.core.ConfigurationException;
import io.durableops.core.DurableOps;
import io.durableops.core.admin.OperationAdmin;
import io.durableops.core.OperationScheduler;
import io.durableops.core.Schedules;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The operators' web UI and JSON API: on its own port, or mounted into an existing Javalin application.
 *
 * <pre>{@code
 * AdminUi ui = AdminUi.builder(ops)
 *         .users(PasswordUsers.builder().operator("ann", annHash).readOnly("bob", bobHash).build())
 *         .bind("127.0.0.1", 7070)
 *         .start();                                   // http://127.0.0.1:7070/
 *
 * Javalin.create(config -> AdminUi.builder(ops).authenticator(sso).mount(config, "/durable-ops"));  // in your app
 * }</pre>
 *
 * Secure by default: binds to 127.0.0.1, needs credentials for every page and API call (the login page aside) unless
 * {@link Builder#openWithoutCredentials(Role)} says otherwise, throttles failed sign-ins, checks a CSRF token on every
 * state-changing request, escapes everything it renders and records every operator action, sign-in, sign-out, failed
 * sign-in and refused action in the audit trail.
 */
public final class AdminUi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminUi.class);

    private final Javalin app;
    private final String host;

    private AdminUi(Javalin app, String host) {
        this.app = app;
        this.host = host;
    }

    public static Builder builder(DurableOps ops) {
        return new Builder(ops.scheduler(), ops.admin()).schedules(ops.schedules());
    }

    public static Builder builder(OperationScheduler scheduler, OperationAdmin admin) {
        return new Builder(scheduler, admin);
    }

    /** The port it listens on (useful after binding to port 0). */
    public int port() {
        return app.port();
    }

    /** Where it can be reached, e.g. {@code http://127.0.0.1:7070/}. */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port() + "/";
    }

    /** Stops the server, and its bulk runs between two operations (waiting for them at most 10 s). */
    @Override
    public void close() {
        app.stop();
    }

    /** Configures the admin UI; validated when it starts or is mounted. */
    public static final class Builder {
        private final OperationScheduler scheduler;
        private final OperationAdmin admin;
        private Authenticator authenticator;
        private Role anonymousRole;
        private String host = "127.0.0.1";
        private int port = 7070;
        private boolean secureCookies;
        private Duration sessionTimeout = Duration.ofHours(8);
        private String title = "Durable Ops";
        private Clock clock = Clock.systemUTC();
        private String clientAddressHeader;
        private Duration refresh = Duration.ofSeconds(5);
        private String jobRunrDashboard;
        private Schedules schedules;
        private int listBound = OperationAdmin.LIST_BOUND;
        private int failuresBound = OperationAdmin.FAILURES_BOUND;

        private Builder(OperationScheduler scheduler, OperationAdmin admin) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            this.admin = Objects.requireNonNull(admin, "admin");
        }

        /**
         * The schedules the schedules page lists and steers; {@link AdminUi#builder(DurableOps)} sets them to the
         * runtime's {@code schedules()}. Without them the page says there are none to show.
         */
        public Builder schedules(Schedules schedules) {
            this.schedules = Objects.requireNonNull(schedules, "schedules");
            return this;
        }

        /** Users with hashed passwords who sign in on the login page (or with HTTP Basic on the API). */
        public Builder users(PasswordUsers users) {
            return authenticator(users);
        }

        /** Your own authenticator: another user store, or SSO (trust what a proxy or your application established). */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
            return this;
        }

        /**
         * Serves every page and API call without credentials, to anyone who can reach it, with this role: only on
         * purpose (a UI behind your own authenticating proxy, a developer's laptop). Signed-in users keep their own role.
         */
        public Builder openWithoutCredentials(Role role) {
            this.anonymousRole = Objects.requireNonNull(role, "role");
            return this;
        }

        /** Where {@link #start()} listens; defaults to 127.0.0.1:7070. Port 0 picks a free port. */
        public Builder bind(String host, int port) {
            this.host = Objects.requireNonNull(host, "host");
            this.port = port;
            return this;
        }

        /** The port {@link #start()} listens on, on the configured host (127.0.0.1 unless {@link #bind} says otherwise). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Marks the session cookie Secure (sent over HTTPS only); set it when a TLS proxy is in front. Default off. */
        public Builder secureCookies(boolean secure) {
            this.secureCookies = secure;
            return this;
        }

        /** How long an idle session stays signed in; defaults to 8 hours. */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The name in the page header; defaults to "Durable Ops". */
        public Builder title(String title) {
            this.title = Objects.requireNonNull(title, "title");
            return this;
        }

        /** The clock of sessions, sign-in throttling and relative times; defaults to the system's UTC clock (for tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Behind a reverse proxy: the request header in which the proxy puts the client's address, such as
         * {@code X-Forwarded-For} (its last entry is taken: the one your proxy added). It names the client in the audit
         * trail and in the throttling of failed sign-ins. Only set it when every request comes through that proxy, or
         * a client could claim any address. Default: the address of the TCP connection.
         */
        public Builder clientAddressHeader(String header) {
            this.clientAddressHeader = Objects.requireNonNull(header, "header").strip();
            return this;
        }

        /**
         * How often the lists, the operation page and a running bulk run's page refresh themselves in the browser;
         * defaults to 5 s, zero turns it off.
         */
        public Builder autoRefresh(Duration every) {
            this.refresh = Objects.requireNonNull(every, "every");
            return this;
        }

        /**
         * The base URL of JobRunr's dashboard, such as {@code http://localhost:8000}: each attempt on an operation page
         * then links to its JobRunr job ({@code <base>/dashboard/jobs/<jobId>}). Default: no links.
         */
        public Builder jobRunrDashboard(String baseUrl) {
            String url = Objects.requireNonNull(baseUrl, "baseUrl").strip();
            while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
            this.jobRunrDashboard = url;
            return this;
        }

        /**
         * The most operations the list counts per status (default {@value OperationAdmin#LIST_BOUND}): past it a count
         * shows as "10,000+", so each request reads a bounded number of rows whatever the table's size. Bulk actions'
         * confirmations always count exactly.
         */
        public Builder listBound(int bound) {
            this.listBound = bound;
            return this;
        }

        /**
         * How many of the newest matching failures the list's failures panel groups (default
         * {@value OperationAdmin#FAILURES_BOUND}, and never more than {@link #listBound}); with more failures the panel
         * says it groups the newest that many.
         */
        public Builder failuresBound(int newest) {
            this.failuresBound = newest;
            return this;
        }

        /**
         * Starts its own Javalin server on the configured address. Every response it sends carries the security
         * headers, the server's own error responses included.
         */
        public AdminUi start() {
            Settings settings = settings("");
            Routes routes = new Routes(settings);
            Javalin app = Javalin.create(config -> {
                config.startup.showJavalinBanner = false;
                routes.ownServer(config);
                routes.register(config.routes);
                config.events.serverStopping(routes::stop);
            });
            if (!isLoopback(host)) {
                LOG.warn("the Durable Ops admin UI listens on {}, reachable from other machines; put TLS in front of it "
                        + "and use secureCookies(true)", host);
            }
            app.start(host, port);
            AdminUi ui = new AdminUi(app, host);
            LOG.info("Durable Ops admin UI at {}", ui.url());
            return ui;
        }

        /**
         * Adds the UI's pages and API under {@code path} (such as {@code "/durable-ops"}) to a Javalin application
         * while it is configured ({@code Javalin.create(config -> ...mount(config, path))}). Its handlers answer for
         * themselves, every path under {@code path} included (an unknown one is the UI's own 404): no
         * before-handler or exception handler is added to the application. Its bulk runs stop when the application's
         * server stops.
         */
        public void mount(JavalinConfig config, String path) {
            Objects.requireNonNull(config, "config");
            String base = path == null ? "" : path.strip();
            if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
            if (!base.isEmpty() && (!base.startsWith("/") || base.contains("*") || base.contains("{"))) {
                throw new ConfigurationException("mount path must start with '/' and be plain, was '" + path + "'");
            }
            Routes routes = new Routes(settings(base));
            routes.register(config.routes);
            config.events.serverStopping(routes::stop); // its bulk runs end with the application's server
        }

        private Settings settings(String basePath) {
            List<String> problems = new ArrayList<>();
            if (authenticator == null && anonymousRole == null) {
                problems.add("users(...) or authenticator(...) is required; or openWithoutCredentials(Role) to serve "
                        + "without credentials on purpose");
            }
            if (port < 0 || port > 65535) problems.add("port must be 0 to 65535, was " + port);
            if (sessionTimeout.isNegative() || sessionTimeout.isZero()) problems.add("sessionTimeout must be positive, was " + sessionTimeout);
            if (refresh.isNegative() || !refresh.isZero() && refresh.compareTo(Duration.ofSeconds(1)) < 0) {
                problems.add("autoRefresh must be zero (off) or at least 1 s, was " + refresh);
            }
            if (clientAddressHeader != null && !clientAddressHeader.matches("[A-Za-z0-9-]{1,100}")) {
                problems.add("clientAddressHeader must be a header name such as X-Forwarded-For, was '" + clientAddressHeader + "'");
            }
            if (jobRunrDashboard != null && !jobRunrDashboard.matches("https?://[^\\s\"'<>]{1,1000}")) {
                problems.add("jobRunrDashboard must be an http:// or https:// URL such as http://localhost:8000, was '" + jobRunrDashboard + "'");
            }
            if (listBound < 1 || listBound > 1_000_000) problems.add("listBound must be 1 to 1,000,000, was " + listBound);
            if (failuresBound < 1 || failuresBound > 1_000_000) problems.add("failuresBound must be 1 to 1,000,000, was " + failuresBound);
            if (!problems.isEmpty()) {
                throw new ConfigurationException("the admin UI is not configured correctly:\n  - " + String.join("\n  - ", problems));
            }
            return new Settings(scheduler, admin, authenticator == null ? new Authenticator() { } : authenticator,
                    anonymousRole, basePath, secureCookies, sessionTimeout, title, clock, clientAddressHeader, refresh, schedules,
                    jobRunrDashboard, listBound, Math.min(failuresBound, listBound));
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }
}
