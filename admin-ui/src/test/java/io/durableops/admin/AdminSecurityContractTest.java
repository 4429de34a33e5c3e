package io.durableops.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.durableops.core.admin.AuditEntry;
import io.durableops.core.admin.AuditQuery;
import io.durableops.core.EnqueueOptions;
import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The security items of issue 21 over real HTTP, on a real database: throttled sign-ins, the audit trail of access
 * events, lengths and bodies refused with their limits, isolated text, and the UI's own answer for every path under
 * it. Each database runs it through a small subclass; what needs no database is in {@link AdminHardeningTest}.
 */
abstract class AdminSecurityContractTest extends AdminFixture {

    List<AuditEntry> trail(String action) {
        return ops.admin().auditPage(AuditQuery.builder().action(action).build()).entries();
    }

    // ---- sign-in throttling ------------------------------------------------------------------------------------

    @Test
    void sixtyWrongPasswordsLockTheUserWithABackOffAndEachFailureIsRecorded() {
        serve(web -> {
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 60; i++) statuses.add(web.login(B, "ann", "guess-" + i).statusCode());
            assertThat(statuses.subList(0, 5)).as("five tries are checked").containsOnly(401);
            assertThat(statuses.subList(5, 60)).as("then refused without checking").containsOnly(429);

            HttpResponse<String> right = web.login(B, "ann", "ann-secret");
            assertThat(right.statusCode()).as("the right password waits too").isEqualTo(429);
            assertThat(right.body()).contains("Too many failed sign-ins").contains("try again in 1 s");
            assertThat(right.headers().firstValue("Retry-After")).contains("1");

            clock.advance(Duration.ofSeconds(2));
            assertThat(web.login(B, "ann", "guess-again").statusCode()).isEqualTo(401);
            HttpResponse<String> longer = web.login(B, "ann", "ann-secret");
            assertThat(longer.statusCode()).as("the next lock is twice as long").isEqualTo(429);
            assertThat(longer.headers().firstValue("Retry-After")).contains("2");
            clock.advance(Duration.ofSeconds(3));
            assertThat(web.login(B, "ann", "ann-secret").statusCode()).isEqualTo(303);
            assertThat(web.get(B + "/").statusCode()).isEqualTo(200);
            // other users were never locked
            assertThat(signedIn(new WebClient(web.origin()), "bob").get(B + "/").statusCode()).isEqualTo(200);
        });
        assertThat(trail("sign-in-failed")).hasSize(6).allSatisfy(e -> {
            assertThat(e.actor()).isEqualTo("ann");
            assertThat(e.clientAddress()).contains("127.0.0.1");
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).isEqualTo("wrong user name or password (login form)"));
        });
        assertThat(trail("sign-in-throttled")).extracting(e -> e.detail().orElseThrow())
                .containsExactly("6 failed sign-ins for this user name; refused for 2 s", "5 failed sign-ins for this user name; refused for 1 s");
        assertThat(trail("sign-in")).extracting(AuditEntry::actor).containsExactly("bob", "ann");
    }

    @Test
    void httpBasicIsThrottledLikeTheLoginForm() {
        serve(web -> {
            WebClient wrong = new WebClient(web.origin()).basic("ann", "guess");
            for (int i = 0; i < 5; i++) assertThat(wrong.get(B + "/api/session").statusCode()).isEqualTo(401);
            HttpResponse<String> refused = new WebClient(web.origin()).basic("ann", "ann-secret").get(B + "/api/session");
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(json(refused).get("error").asText()).contains("too many failed sign-ins").contains("try again in 1 s");
            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(refused.headers().firstValue("Content-Security-Policy")).isPresent();
            clock.advance(Duration.ofSeconds(2));
            assertThat(new WebClient(web.origin()).basic("ann", "ann-secret").get(B + "/api/session").statusCode()).isEqualTo(200);
        });
        assertThat(trail("sign-in-failed")).hasSize(5).allSatisfy(e -> assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).endsWith("(HTTP Basic)")));
    }

    @Test
    void oneAddressTryingManyUserNamesIsThrottledAndOthersAreNot() {
        serve(AdminUi.builder(ops).users(USERS).clock(clock).clientAddressHeader("X-Forwarded-For"), web -> {
            for (int i = 0; i < 10; i++) {
                String form = web.get(B + "/login").body();
                HttpResponse<String> r = web.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "user" + i,
                        "password", "guess"), "X-Forwarded-For", "10.9.9.9, 203.0.113.9");
                assertThat(r.statusCode()).as("user" + i).isEqualTo(401);
            }
            String form = web.get(B + "/login").body();
            HttpResponse<String> fromThere = web.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                    "password", "ann-secret"), "X-Forwarded-For", "203.0.113.9");
            assertThat(fromThere.statusCode()).isEqualTo(429);
            HttpResponse<String> fromElsewhere = web.post(B + "/login", List.of("_csrf", WebClient.csrfOf(form), "username", "ann",
                    "password", "ann-secret"), "X-Forwarded-For", "203.0.113.10");
            assertThat(fromElsewhere.statusCode()).isEqualTo(303);
        });
        assertThat(trail("sign-in-throttled")).singleElement().satisfies(e -> {
            assertThat(e.detail()).hasValueSatisfying(d -> assertThat(d).isEqualTo("10 failed sign-ins for this address; refused for 1 s"));
            assertThat(e.clientAddress()).as("the proxy's last entry").contains("203.0.113.9");
        });
        assertThat(trail("sign-in")).singleElement().satisfies(e -> assertThat(e.clientAddress()).contains("203.0.113.10"));
    }

    // ---- the audit trail ---------------------------------------------------------------------------------------

    @Test
    void signInSignOutFailuresAndRefusalsAreInTheTrailWhichIsPagedAndFiltered() {
        OperationId failed = failedBilling(Map.of());
        serve(web -> {
            assertThat(web.login(B, "bob", "wrong").statusCode()).isEqualTo(401);
            WebClient bob = signedIn(web, "bob");
            String token = WebClient.csrfOf(bob.get(B + "/operations/" + failed).body());
            assertThat(bob.post(B + "/operations/" + failed + "/retry", List.of("_csrf", token)).statusCode()).isEqualTo(403);
            assertThat(bob.post(B + "/logout", List.of("_csrf", token)).statusCode()).isEqualTo(303);
            WebClient ann = signedIn(new WebClient(web.origin()), "ann");

            String page = ann.get(B + "/audit").body();
            assertThat(page).contains("sign-in-failed", "denied", "sign-out", "127.0.0.1")
                    .contains("POST " + B + "/operations/" + failed + "/retry: read-only user");
            String onlyBob = ann.get(B + "/audit?actor=bob&action=denied").body();
            assertThat(onlyBob).contains("read-only user").doesNotContain("<bdi>sign-out</bdi>").contains("<bdi>denied</bdi>");
            assertThat(ann.get(B + "/operations/" + failed).body()).as("the refusal is on the operation's page")
                    .contains("denied").contains("read-only user");

            // keyset paging, page and API alike
            HttpResponse<String> first = ann.get(B + "/audit?limit=2");
            assertThat(first.body()).contains("id=\"audit-next\"");
            String next = first.body().replaceAll("(?s).*<a href=\"([^\"]+)\" id=\"audit-next\".*", "$1").replace("&amp;", "&");
            assertThat(next).contains("limit=2").contains("before=");
            assertThat(ann.get(next).body()).contains("id=\"audit-first\"");
            List<String> actions = new ArrayList<>();
            String before = "";
            for (int page1 = 0; page1 < 10; page1++) {
                JsonNode body = json(ann.get(B + "/api/audit?limit=2" + before));
                body.get("entries").forEach(e -> actions.add(e.get("action").asText()));
                if (body.get("nextBefore").isNull()) break;
                before = "&before=" + body.get("nextBefore").asLong();
            }
            assertThat(actions).containsExactly("sign-in", "sign-out", "denied", "sign-in", "sign-in-failed");
            JsonNode filtered = json(ann.get(B + "/api/audit?action=sign-in-failed&client=127.0.0.1"));
            assertThat(filtered.get("entries")).singleElement()
                    .satisfies(e -> assertThat(e.get("clientAddress").asText()).isEqualTo("127.0.0.1"));
            assertThat(json(ann.get(B + "/api/audit?operation=" + failed)).get("entries")).hasSize(1);
            for (String bad : List.of("limit=0", "limit=x", "before=-1", "operation=nope", "from=yesterday", "actor=" + "x".repeat(201),
                    "from=2026-11-21T10:00:00Z&to=2026-11-21T09:00:00Z")) {
                assertThat(ann.get(B + "/api/audit?" + bad).statusCode()).as(bad).isEqualTo(400);
                assertThat(ann.get(B + "/audit?" + bad).statusCode()).as(bad).isEqualTo(400);
            }
        });
        assertThat(ops.scheduler().get(failed).status()).isEqualTo(OperationStatus.FAILED);
    }

    // ---- lengths and bodies ------------------------------------------------------------------------------------

    /**
     * An oversized request, sent again (at most four times) if the connection closed before its response could be read.
     * why: a body without a length is read up to the limit, then the server answers 413 and closes while the client may
     * still be writing the rest; the client then sometimes reads nothing (seen in CI). Bodies with a length are refused
     * before they are sent ({@code WebClient} announces them with {@code Expect: 100-continue}). The answer, once read,
     * is asserted as it is.
     */
    static HttpResponse<String> answered(java.util.function.Supplier<HttpResponse<String>> request) {
        for (int tries = 1; ; tries++) {
            try {
                return request.get();
            } catch (AssertionError e) {
                if (tries == 5 || !(e.getCause() instanceof java.io.IOException)) throw e;
            }
        }
    }

    @Test
    void aFailReasonOverTheLimitIs400WithTheLimitAndABodyOver1MbIs413() {
        OperationId id = delayedShipping();
        serve(web -> {
            signedIn(web, "ann");
            String token = WebClient.csrfOf(web.get(B + "/operations/" + id).body());
            String tooLong = "r".repeat(2001);
            HttpResponse<String> page = web.post(B + "/operations/" + id + "/fail", List.of("_csrf", token, "reason", tooLong));
            assertThat(page.statusCode()).isEqualTo(400);
            assertThat(page.body()).contains("a fail reason is at most 2,000 characters; this one has 2,001").contains("id=\"nav\"");
            HttpResponse<String> api = web.postJson(B + "/api/operations/" + id + "/fail", "{\"reason\":\"" + tooLong + "\"}",
                    "X-CSRF-Token", csrf(web));
            assertThat(api.statusCode()).isEqualTo(400);
            assertThat(json(api).get("error").asText()).isEqualTo("a fail reason is at most 2,000 characters; this one has 2,001");

            String huge = "x".repeat(1_100_000);
            WebClient.Answer form = web.postHeadOnly(B + "/operations/" + id + "/fail", "application/x-www-form-urlencoded", 1_100_000);
            assertThat(form.statusCode()).isEqualTo(413);
            assertThat(form.body()).contains("the limit is 1,000,000 bytes").doesNotContainIgnoringCase("sql");
            WebClient.Answer json = web.postHeadOnly(B + "/api/operations/" + id + "/fail", "application/json", 1_100_000,
                    "X-CSRF-Token", csrf(web));
            assertThat(json.statusCode()).isEqualTo(413);
            assertThat(json.body()).contains("the limit is 1,000,000 bytes");
            HttpResponse<String> chunked = answered(() -> web.postChunked(B + "/api/operations/" + id + "/fail", huge, "X-CSRF-Token", csrf(web)));
            assertThat(chunked.statusCode()).as("a body without a length is cut at the limit too").isEqualTo(413);
            assertThat(json(chunked).get("error").asText()).contains("the limit is 1,000,000 bytes");

            HttpResponse<String> signal = web.postJson(B + "/api/operations/" + id + "/signal",
                    "{\"name\":\"" + "n".repeat(201) + "\"}", "X-CSRF-Token", csrf(web));
            assertThat(signal.statusCode()).isEqualTo(400);
            assertThat(json(signal).get("error").asText()).contains("1 to 200 characters");
            for (String filter : List.of("q=" + "k".repeat(5000), "definition=" + "d".repeat(5000), "attribute=a&value=" + "v".repeat(5000))) {
                HttpResponse<String> r = web.get(B + "/api/operations?" + filter);
                assertThat(r.statusCode()).as(filter.substring(0, 12)).isEqualTo(400);
                assertThat(json(r).get("error").asText()).as(filter.substring(0, 12)).containsPattern("at most \\d+");
            }

            HttpResponse<String> ok = web.post(B + "/operations/" + id + "/fail", List.of("_csrf", token, "reason", "r".repeat(2000)));
            assertThat(ok.statusCode()).isEqualTo(303);
        });
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
        assertThat(ops.scheduler().get(id).failureReason()).hasValueSatisfying(r -> assertThat(r).hasSize(2000));
    }

    // ---- text ----------------------------------------------------------------------------------------------------

    @Test
    void bidiOverridesAndOtherControlCharactersAreShownAsMarksInIsolatedText() {
        String spoof = "invoice\u202Etxt.exe";
        OperationId id = ops.scheduler().enqueue("shipping", Map.of("file", spoof), EnqueueOptions.idempotencyKey(spoof + "\u0007\u200B"));
        serve(web -> {
            signedIn(web, "ann");
            for (String path : List.of("/", "/operations/" + id)) {
                String body = web.get(B + path).body();
                assertThat(body).as(path).doesNotContain("\u202E").doesNotContain("\u0007").doesNotContain("\u200B")
                        .contains("<bdi>invoice<span class=\"ctl\">[U+202E]</span>txt.exe<span class=\"ctl\">[U+0007]</span>"
                                + "<span class=\"ctl\">[U+200B]</span></bdi>");
            }
            assertThat(web.get(B + "/operations/" + id).body()).contains("&quot;invoice<span class=\"ctl\">[U+202E]</span>txt.exe&quot;");
            assertThat(json(web.get(B + "/api/operations/" + id)).get("idempotencyKey").asText()).as("the API keeps the value")
                    .isEqualTo(spoof + "\u0007\u200B");
        });
    }

    @Test
    void aHundredKilobyteErrorIsFoldedAndTimesSayHowLongAgo() {
        OperationId id = ops.scheduler().enqueue("noisy", Map.of());
        dispatcher.runDue();
        clock.advance(Duration.ofMinutes(3));
        serve(web -> {
            signedIn(web, "ann");
            String list = web.get(B + "/").body();
            assertThat(list.length()).isLessThan(30_000);
            assertThat(list).contains("(3 min ago)").contains("<time datetime=\"");
            String page = web.get(B + "/operations/" + id).body();
            // core stores an error's message cut to 64 KiB, with a note of what it left out
            assertThat(page).as("the summary line shows the message's start")
                    .containsPattern("E{300} … \\([0-9,]+ more characters\\)");
            assertThat(page).as("the stored message, in the collapsed stack trace").contains("E".repeat(60_000))
                    .contains("more characters not stored]");
            assertThat(page.length()).as("and only there").isLessThan(64 * 1024 + 30_000);
        });
        assertThat(ops.scheduler().get(id).status()).isEqualTo(OperationStatus.FAILED);
    }

    // ---- every path under the UI is the UI's -------------------------------------------------------------------

    @Test
    void unknownPathsAndMethodsUnderTheUiGetItsOwnAnswersWithHeadersAndNavigation() {
        serve(web -> {
            assertThat(web.get(B + "/nothing/here").statusCode()).as("anonymous: sign in first").isEqualTo(401);
            signedIn(web, "ann");
            HttpResponse<String> page = web.get(B + "/nothing/here");
            assertThat(page.statusCode()).isEqualTo(404);
            assertThat(page.body()).contains("id=\"nav\"").contains("no page at " + B + "/nothing/here");
            HttpResponse<String> unknown = web.get(B + "/operations/" + OperationId.random());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).as("error pages keep the navigation").contains("id=\"nav\"", "Audit trail", "Sign out");
            HttpResponse<String> api = web.get(B + "/api/nothing");
            assertThat(api.statusCode()).isEqualTo(404);
            assertThat(json(api).get("error").asText()).contains("no page at");
            HttpResponse<String> put = web.send("PUT", B + "/");
            assertThat(put.statusCode()).isEqualTo(405);
            assertThat(put.headers().firstValue("Allow")).contains("GET, POST");
            for (HttpResponse<String> r : List.of(page, unknown, api, put, web.get(B + "/assets/nope.js"), web.get(B + "/login"))) {
                assertThat(r.headers().firstValue("Content-Security-Policy")).as(r.uri().toString()).contains(
                        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; "
                                + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
                assertThat(r.headers().firstValue("X-Frame-Options")).as(r.uri().toString()).contains("DENY");
                assertThat(r.headers().firstValue("X-Content-Type-Options")).as(r.uri().toString()).contains("nosniff");
            }
            assertThat(web.get("/").body()).as("the host's own page is left alone").isEqualTo("the host application");
        });
    }
}
