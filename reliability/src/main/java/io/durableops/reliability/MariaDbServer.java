package io.durableops.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private MariaDB server for the suite: its own data directory and port, bound to 127.0.0.1, so the suite can stop
 * and start it at will without touching any other database on the machine.
 */
final class MariaDbServer implements AutoCloseable {
    private final Path directory;
    private final int port;
    private Process process;

    private MariaDbServer(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Creates a fresh data directory under {@code directory} (root without a password, TCP only on 127.0.0.1). */
    static MariaDbServer install(Path directory, int port) throws IOException, InterruptedException {
        if (portInUse(port)) {
            throw new IllegalStateException("port " + port + " is already in use; pass another with RELIABILITY_PORT=...");
        }
        Files.createDirectories(directory);
        List<String> command = new ArrayList<>(List.of(tool("mariadb-install-db", "mysql_install_db"), "--no-defaults",
                "--datadir=" + directory.resolve("data"), "--auth-root-authentication-method=normal", "--skip-test-db"));
        if (isRoot()) command.add("--user=root");
        Process install = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("install.log").toFile()).start();
        if (!install.waitFor(120, TimeUnit.SECONDS) || install.exitValue() != 0) {
            throw new IllegalStateException("mariadb-install-db failed; see " + directory.resolve("install.log"));
        }
        return new MariaDbServer(directory, port);
    }

    /** Starts the server and waits until it accepts connections. */
    void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tool("mariadbd", "mysqld"), "--no-defaults",
                "--datadir=" + directory.resolve("data"), "--port=" + port, "--bind-address=127.0.0.1",
                "--socket=" + directory.resolve("mysqld.sock"), "--pid-file=" + directory.resolve("mysqld.pid"),
                "--log-error=" + directory.resolve("mariadb.err"), "--max-connections=400",
                "--innodb-buffer-pool-size=128M", "--skip-name-resolve"));
        if (isRoot()) command.add("--user=root");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(directory.resolve("mariadbd.out").toFile())).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!accepts()) {
            if (!process.isAlive()) throw new IllegalStateException("mariadbd exited; see " + directory.resolve("mariadb.err"));
            if (Instant.now().isAfter(deadline)) throw new IllegalStateException("mariadbd did not start within 60 s");
            Thread.sleep(100);
        }
    }

    /** Stops the server as a service manager would (SIGTERM: a clean shutdown) and waits until it is gone. */
    void stop() throws InterruptedException {
        if (process == null) return;
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        process = null;
    }

    /** For the driver's shutdown hook: SIGTERM, without waiting. */
    void destroyQuietly() {
        Process p = process;
        if (p != null) p.destroy();
    }

    String url(String database) {
        return "jdbc:mysql://127.0.0.1:" + port + "/" + database + "?user=root&connectTimeout=3000&socketTimeout=60000";
    }

    void createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(""))) {
            c.createStatement().execute("CREATE DATABASE IF NOT EXISTS `" + name + "`");
        }
    }

    private boolean accepts() {
        try (Connection c = DriverManager.getConnection(url(""))) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static boolean portInUse(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String tool(String... names) {
        for (String name : names) {
            for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin", "/usr/local/mysql/bin")) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        return names[0];
    }
}
