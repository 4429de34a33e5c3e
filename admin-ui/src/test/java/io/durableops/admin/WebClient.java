package io.durableops.admin;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A plain HTTP client for the HTTP-level tests: keeps cookies like a browser, never follows redirects. */
final class WebClient {
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String origin;
    private final HttpClient client;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private String basic;

    WebClient(String origin) {
        this.origin = origin;
        this.client = HttpClient.newBuilder().cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    String origin() {
        return origin;
    }

    /** A request of any method without a body. */
    HttpResponse<String> send(String method, String path, String... headers) {
        return send(request(path, headers).method(method, HttpRequest.BodyPublishers.noBody()).build());
    }

    /** A JSON POST whose length is not announced (chunked). */
    HttpResponse<String> postChunked(String path, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build());
    }

    /** A status and a body, read off the wire. */
    record Answer(int statusCode, String body) {
    }

    /**
     * Sends only the head of a POST that announces a body of {@code length} bytes (with this client's cookies), and
     * reads the answer. why not the whole body: a server that refuses a body by its length answers and closes while
     * a client may still be writing it, and the client then sometimes reads nothing at all; a refusal by length must
     * not need the body.
     */
    Answer postHeadOnly(String path, String contentType, long length, String... headers) {
        URI uri = URI.create(origin + path);
        StringBuilder head = new StringBuilder("POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\nConnection: close\r\n");
        String cookie = String.join("; ", cookies.getCookieStore().get(uri).stream().map(java.net.HttpCookie::toString).toList());
        if (!cookie.isEmpty()) head.append("Cookie: ").append(cookie).append("\r\n");
        if (basic != null) head.append("Authorization: ").append(basic).append("\r\n");
        for (int i = 0; i < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        head.append("\r\n");
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = answer.indexOf("\r\n\r\n");
            if (end < 0) throw new AssertionError("no complete answer to " + uri + ": " + answer);
            String headLines = answer.substring(0, end);
            String body = answer.substring(end + 4);
            if (headLines.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) body = dechunked(body);
            return new Answer(Integer.parseInt(headLines.split(" ", 3)[1]), body);
        } catch (IOException e) {
            throw new AssertionError("request failed: " + uri + ": " + e, e);
        }
    }

    private static String dechunked(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) return body.toString();
            // why bytes: the size counts bytes, and the body may hold characters of more than one byte
            byte[] rest = chunked.substring(eol + 2).getBytes(StandardCharsets.UTF_8);
            String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
            body.append(chunk);
            at = eol + 2 + chunk.length() + 2;
        }
    }

    /** Sends HTTP Basic credentials with every request from now on. */
    WebClient basic(String user, String password) {
        this.basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    /** A form POST; {@code fields} are name, value pairs. */
    HttpResponse<String> post(String path, List<String> fields, String... headers) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < fields.size(); i += 2) {
            pairs.add(URLEncoder.encode(fields.get(i), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(fields.get(i + 1), StandardCharsets.UTF_8));
        }
        return send(request(path, headers).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(String.join("&", pairs))).build());
    }

    HttpResponse<String> postJson(String path, String json, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Signs in through the login form; returns the redirect response. */
    HttpResponse<String> login(String base, String user, String password) {
        String token = csrfOf(get(base + "/login").body());
        return post(base + "/login", List.of("_csrf", token, "username", user, "password", password));
    }

    static String csrfOf(String html) {
        Matcher m = CSRF.matcher(html);
        if (!m.find()) throw new AssertionError("no CSRF field in:\n" + html);
        return m.group(1);
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(origin + path)).timeout(Duration.ofSeconds(30));
        if (basic != null) b.header("Authorization", basic);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b;
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
