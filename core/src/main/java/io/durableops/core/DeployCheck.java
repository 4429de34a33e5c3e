package io.durableops.core;

import io.durableops.core.internal.flow.Definitions;
import io.durableops.core.internal.store.ClusterStore;

import javax.sql.DataSource;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The pre-deploy check: which operations in flight (RUNNING or PAUSED) the build about to be deployed would strand,
 * because none of its definitions has the step they are at. Run it in CI before a deploy, against the production
 * database and the new build's definitions; it reads only. See docs/upgrading.md.
 *
 * <pre>{@code
 * DeployCheck.Report report = DeployCheck.against(dataSource, List.of(new SubscriptionFulfillment(...)));
 * if (!report.safe()) throw new IllegalStateException(report.describe());
 * }</pre>
 *
 * <p>As a command ({@link #main}): {@code java -cp <your build's classpath> io.durableops.core.DeployCheck --url
 * <jdbc url> [--user u] [--password p] --definitions com.acme.AllDefinitions}, where each class named (comma-separated)
 * is an {@link OperationDefinition} with a no-argument constructor or a {@code Supplier<Collection<OperationDefinition>>}.
 * It prints what it found and exits 0 when the build is safe, 1 when it would strand operations, 2 on bad arguments.
 */
public final class DeployCheck {
    private static final int EXAMPLES = 5;
    private static final List<String> IN_FLIGHT = List.of(OperationStatus.RUNNING.name(), OperationStatus.PAUSED.name());

    private DeployCheck() {
    }

    /** Operations at one step of one version of one definition that the new build cannot run. */
    public record Stranded(String definition, int version, String step, long count, List<OperationId> examples, String reason) {
    }

    /** What the check found: nothing stranded is a safe build. */
    public record Report(List<Stranded> stranded) {
        public Report {
            stranded = List.copyOf(stranded);
        }

        public boolean safe() {
            return stranded.isEmpty();
        }

        /** The findings in words, one line per position, for a CI log. */
        public String describe() {
            if (safe()) return "safe: the new build has the step of every operation in flight";
            StringBuilder s = new StringBuilder("the new build would strand operations in flight:");
            for (Stranded x : stranded) {
                s.append("\n  ").append(x.definition()).append(" version ").append(x.version()).append(" at step '").append(x.step())
                        .append("': ").append(x.count()).append(x.count() == 1 ? " operation" : " operations").append(" (for example ")
                        .append(x.examples().stream().map(OperationId::toString).reduce((a, b) -> a + ", " + b).orElse("")).append("): ")
                        .append(x.reason());
            }
            return s.toString();
        }
    }

    /** Checks {@code newBuild}'s definitions against the operations in flight in {@code dataSource}. */
    public static Report against(DataSource dataSource, Collection<? extends OperationDefinition> newBuild) {
        Objects.requireNonNull(dataSource, "dataSource");
        try (Connection c = dataSource.getConnection()) {
            return against(c, newBuild);
        } catch (SQLException e) {
            throw new StorageException("could not read the operations in flight: " + e.getMessage(), e);
        }
    }

    private static Report against(Connection c, Collection<? extends OperationDefinition> newBuild) throws SQLException {
        Definitions definitions = new Definitions(List.copyOf(newBuild));
        List<Stranded> stranded = new ArrayList<>();
        if (!hasTables(c)) return new Report(stranded);
        for (ClusterStore.Position p : ClusterStore.positions(c, IN_FLIGHT)) {
            if (definitions.resolve(p.definition(), p.version(), p.step()).isPresent()) continue;
            List<OperationId> examples = ClusterStore.at(c, p, IN_FLIGHT, EXAMPLES).stream().map(OperationId::of).toList();
            String reason = definitions.find(p.definition()).isEmpty()
                    ? "the new build has no definition '" + p.definition() + "'"
                    : "the new build's versions " + definitions.versions(p.definition()) + " have no step '" + p.step() + "'; they have "
                    + String.join(", ", definitions.steps(p.definition()));
            stranded.add(new Stranded(p.definition(), p.version(), p.step(), p.count(), examples, reason));
        }
        return new Report(stranded);
    }

    private static boolean hasTables(Connection c) throws SQLException {
        for (String name : List.of("durable_operations", "DURABLE_OPERATIONS")) {
            try (var rs = c.getMetaData().getTables(c.getCatalog(), null, name, null)) {
                if (rs.next()) return true;
            }
        }
        return false;
    }

    /** The command; see the class comment. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** The command's work: its exit code, what it prints going to {@code out}. */
    public static int run(String[] args, PrintStream out) {
        String url = null;
        String user = null;
        String password = null;
        String classes = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--user" -> user = args[i + 1];
                case "--password" -> password = args[i + 1];
                case "--definitions" -> classes = args[i + 1];
                default -> {
                    return usage(out, "unknown argument " + args[i]);
                }
            }
        }
        if (url == null || classes == null) return usage(out, "--url and --definitions are required");
        List<OperationDefinition> definitions;
        try {
            definitions = load(classes);
        } catch (ReflectiveOperationException | ClassCastException e) {
            return usage(out, "cannot load the definitions " + classes + ": " + e);
        }
        try (Connection c = user == null ? DriverManager.getConnection(url) : DriverManager.getConnection(url, user, password)) {
            Report report = against(c, definitions);
            out.println(report.describe());
            return report.safe() ? 0 : 1;
        } catch (SQLException e) {
            out.println("could not read the operations in flight at " + url + ": " + e.getMessage());
            return 2;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<OperationDefinition> load(String classes) throws ReflectiveOperationException {
        List<OperationDefinition> all = new ArrayList<>();
        for (String name : classes.split(",")) {
            Object instance = Class.forName(name.trim()).getDeclaredConstructor().newInstance();
            if (instance instanceof OperationDefinition d) all.add(d);
            else all.addAll(((Supplier<Collection<OperationDefinition>>) instance).get());
        }
        return all;
    }

    private static int usage(PrintStream out, String problem) {
        out.println(problem);
        out.println("usage: DeployCheck --url <jdbc url> [--user <user>] [--password <password>] --definitions <class>[,<class>...]");
        return 2;
    }
}
