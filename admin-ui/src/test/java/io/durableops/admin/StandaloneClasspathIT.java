package io.durableops.admin;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone admin UI as docs/admin-ui.md runs it: {@code java -cp 'durable-ops-admin-ui-VERSION.jar:lib/*'
 * io.durableops.admin.AdminMain ...} in a JVM of its own, on the jar and the {@code lib/} that {@code mvn package}
 * builds (so it runs after the package phase, under Failsafe).
 */
class StandaloneClasspathIT {
    private static final Path JAR = Path.of(System.getProperty("standalone.jar"));
    private static final Path LIB = Path.of(System.getProperty("standalone.lib"));

    @TempDir
    Path dir;

    private Process process;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    @Test
    void theJarAndItsLibFolderRunTheStandaloneUi() throws Exception {
        Files.writeString(dir.resolve("users.properties"), "ann = OPERATOR " + PasswordHash.hash("ann-secret".toCharArray()) + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        process = new ProcessBuilder(java, "-cp", JAR + File.pathSeparator + LIB.resolve("*"), "io.durableops.admin.AdminMain",
                "--jdbc-url", "jdbc:h2:file:" + dir.resolve("app"), "--db-user", "sa", "--users", dir.resolve("users.properties").toString(),
                "--plaintext", "--port", "0")
                .redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(line);
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();

        String url = null;
        while (url == null) {
            String line = lines.poll(60, TimeUnit.SECONDS);
            assertThat(line).as("the UI printed its address before this output ended: %s", output).isNotNull();
            output.add(line);
            if (line.startsWith("Durable Ops admin UI: ")) url = line.substring("Durable Ops admin UI: ".length());
        }
        HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).as("the UI asks for credentials").isEqualTo(401);
        assertThat(page.body()).contains("Sign in");
        assertThat(output).as("lib/ has an SLF4J provider").noneMatch(l -> l.contains("No SLF4J providers"));
    }

    @Test
    void everyPublishedJarNamesItsModule() throws IOException {
        assertThat(moduleName(JAR)).isEqualTo("io.durableops.admin");
        try (Stream<Path> jars = Files.list(LIB)) {
            List<String> names = new ArrayList<>();
            for (Path jar : jars.filter(p -> p.getFileName().toString().startsWith("durable-ops-")).toList()) names.add(moduleName(jar));
            assertThat(names).containsExactlyInAnyOrder("io.durableops.core", "io.durableops.jobrunr");
        }
    }

    private static String moduleName(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.getManifest().getMainAttributes().getValue("Automatic-Module-Name");
        }
    }
}
