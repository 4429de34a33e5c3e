package io.durableops.admin;

import io.durableops.core.DurableOps;
import io.javalin.Javalin;

/**
 * The code of docs/admin-ui.md, compiled with the tests (the tests start the UI the same way on free ports);
 * DocsSnippetsTest keeps the docs equal to these regions.
 */
final class AdminUiDocsExamples {
    private AdminUiDocsExamples() {
    }

    static AdminUi embedded(DurableOps ops) {
        // tag::embedded[]
        AdminUi ui = AdminUi.builder(ops)                       // ops: your DurableOps
                .users(PasswordUsers.builder()
                        .operator("ann", "pbkdf2-sha256:600000:...")   // hashes, never passwords
                        .readOnly("bob", "pbkdf2-sha256:600000:...")
                        .build())
                .bind("127.0.0.1", 7070)                        // or .port(7070) on 127.0.0.1
                .start();
        System.out.println(ui.url());                           // http://127.0.0.1:7070/
        // end::embedded[]
        return ui;
    }

    static Javalin mounted(DurableOps ops, Authenticator mySso) {
        // tag::mounted[]
        Javalin app = Javalin.create(config ->
                AdminUi.builder(ops).authenticator(mySso).mount(config, "/durable-ops"));
        app.start(8080);
        // end::mounted[]
        return app;
    }

    static AdminUi withJobRunrLinks(DurableOps ops, PasswordUsers users) {
        // tag::jobrunr-links[]
        AdminUi ui = AdminUi.builder(ops).users(users)
                .jobRunrDashboard("http://localhost:8000")      // JobRunr's dashboard: each attempt links to its job
                .start();
        // end::jobrunr-links[]
        return ui;
    }
}
