package io.durableops.admin;

import io.durableops.core.ConfigurationException;
import io.durableops.core.test.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Security items of issue 21 that do not depend on the database (run on H2 once): pending login forms survive a flood
 * of anonymous requests, the return URL after sign-in, the minimum cost of password hashes, security headers on the
 * server's own error responses, and no database message in an error.
 */
class AdminHardeningTest extends AdminFixture {
    @TempDir
    Path dir;

    @Override
    protected TestDatabase database() {
        return TestDatabase.h2();
    }

    @Test
    void tenThousandCookielessRequestsDoNotExpireAPendingLoginForm() {
        serve(web -> {
            String pending = WebClient.csrfOf(web.get(B + "/login").body());
            HttpClient anonymous = HttpClient.newHttpClient(); // keeps no cookie
            for (int i = 0; i < 10_000; i++) {
                String path = i % 2 == 0 ? B + "/login" : B + "/operations/" + i;
                HttpResponse<Void> r = send(anonymous, HttpRequest.newBuilder(URI.create(web.origin() + path)).GET().build());
                assertThat(r.statusCode()).isIn(200, 401);
            }
            HttpResponse<String> signIn = web.post(B + "/login", List.of("_csrf", pending, "username", "ann", "password", "ann-secret"));
            assertThat(signIn.statusCode()).as(signIn.body()).isEqualTo(303);
            assertThat(web.get(B + "/").statusCode()).isEqualTo(200);
        });
    }

    @Test
    void afterSignInOnlyAPathOfTheUiIsFollowed() {
        List<String> refused = List.of("/\t/evil.example/x", "/ops/\t/evil.example", "\t//evil.example", "//evil.example/x",
                "/\\evil.example", "/ops/\\\\evil.example", "https://evil.example/", "http:/ops/x", "/ops/../x", "/ops/%2e%2e/x",
                "/ops/%2E%2E%2Fx", "/ops//evil.example", " /ops/", "/ops/\u2028x", "/ops/\r\nSet-Cookie:x=1", "/ops/\u0000",
                "/ops/\u202Eevil", "/elsewhere", "ops/audit", "javascript:alert(1)", "/opsx/audit");
        List<String> followed = List.of("/ops/audit", "/ops/?status=FAILED&definition=billing", "/ops", "/ops/operations/x?y=%20z");
        serve(web -> {
            for (String next : refused) {
                WebClient fresh = new WebClient(web.origin());
                String form = fresh.get(B + "/login").body();
                HttpResponse<String> r = fresh.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                        "password", "ann-secret", "next", next));
                assertThat(r.headers().firstValue("Location")).as(next).contains(B + "/");
            }
            for (String next : followed) {
                WebClient fresh = new WebClient(web.origin());
                String form = fresh.get(B + "/login").body();
                HttpResponse<String> r = fresh.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                        "password", "ann-secret", "next", next));
                assertThat(r.headers().firstValue("Location")).as(next).contains(next);
            }
        });
    }

    @Test
    void aPasswordHashUnderTheMinimumCostIsRefused() throws Exception {
        String weak = "pbkdf2-sha256:1:" + b64(new byte[16]) + ":" + b64(pbkdf2("secret", new byte[16], 1));
        assertThat(PasswordHash.verify("secret".toCharArray(), weak)).as("a weak hash never verifies").isFalse();
        assertThat(PasswordHash.weakness(weak)).isEqualTo("it has 1 iterations, fewer than the 310000 required");
        assertThatThrownBy(() -> PasswordUsers.builder().operator("ann", weak)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the password hash of user 'ann' is refused: it has 1 iterations");

        byte[] zero = new byte[16];
        String zeroSalt = "pbkdf2-sha256:600000:" + b64(zero) + ":" + b64(pbkdf2("secret", zero, 600_000));
        assertThat(PasswordHash.weakness(zeroSalt)).contains("salt is one byte repeated");
        String shortSalt = "pbkdf2-sha256:600000:" + b64(new byte[] {1, 2, 3, 4}) + ":" + b64(new byte[32]);
        assertThat(PasswordHash.weakness(shortSalt)).contains("salt has 4 bytes");
        assertThat(PasswordHash.weakness("password")).contains("not a hash made by PasswordHash.hash");
        assertThatThrownBy(() -> PasswordHash.hash("x".toCharArray(), 1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("between 310000");
        String good = PasswordHash.hash("secret".toCharArray());
        assertThat(PasswordHash.weakness(good)).isNull();
        assertThat(PasswordHash.verify("secret".toCharArray(), good)).isTrue();

        Path file = dir.resolve("users.properties");
        Files.writeString(file, "ann = OPERATOR " + good + "\nmallory = OPERATOR " + weak + "\n");
        assertThatThrownBy(() -> PasswordUsers.load(file)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("user 'mallory' is refused: it has 1 iterations");
    }

    @Test
    void onItsOwnServerEveryResponseCarriesTheSecurityHeadersTheServersOwnErrorsIncluded() throws Exception {
        try (AdminUi ui = AdminUi.builder(ops).users(USERS).clock(clock).port(0).start()) {
            for (String request : List.of("GET /nope HTTP/1.1", "GET /%zz HTTP/1.1", "GET /a/%2e%2e/%2e%2e/etc HTTP/1.1",
                    "GET /operations/x%2Fy HTTP/1.1", "BREW /coffee HTTP/1.1", "GET /" + "x".repeat(20_000) + " HTTP/1.1",
                    "GET / HTTP/1.1\r\nX-Big: " + "y".repeat(20_000))) {
                String response = raw(ui.port(), request);
                String head = response.substring(0, Math.max(0, response.indexOf("\r\n\r\n")));
                assertThat(head).as(request.substring(0, Math.min(40, request.length())))
                        .contains("Content-Security-Policy: default-src 'none'").contains("X-Frame-Options: DENY")
                        .contains("X-Content-Type-Options: nosniff");
                assertThat(response).doesNotContain("jetty").doesNotContain("org.eclipse");
            }
        }
    }

    @Test
    void aDatabaseThatIsAwayIs503WithoutItsMessage() {
        serve(web -> {
            signedIn(web, "ann");
            db.close(); // the pool is gone: every statement fails
            HttpResponse<String> page = web.get(B + "/");
            assertThat(page.statusCode()).isEqualTo(503);
            assertThat(page.headers().firstValue("Retry-After")).contains("5");
            assertThat(page.body()).contains("the database could not be read or written").contains("id=\"nav\"")
                    .doesNotContainIgnoringCase("hikari").doesNotContainIgnoringCase("sql").doesNotContainIgnoringCase("jdbc");
            HttpResponse<String> api = web.get(B + "/api/operations");
            assertThat(api.statusCode()).isEqualTo(503);
            assertThat(json(api).get("error").asText()).doesNotContainIgnoringCase("sql");
        });
        db = null;
    }

    private static String raw(int port, String requestLineAndHeaders) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLineAndHeaders + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static HttpResponse<Void> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations) throws Exception {
        return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
