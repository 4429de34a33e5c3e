package io.durableops.samples.registration;

import io.durableops.core.Flow;
import io.durableops.core.OperationDefinition;
import io.durableops.core.StepOptions;
import io.durableops.core.WaitOptions;

import java.time.Duration;
import java.util.Map;

/**
 * standard_procedure_operations' user registration: create the user, send a verification email, wait (durably, for
 * up to a day) for the "email-verified" signal that the verification link's controller sends, then notify the
 * administrator. If nobody verifies in time, a reminder is sent instead. Findable by email (a search attribute).
 *
 * <pre>{@code
 * OperationId id = scheduler.enqueue(UserRegistration.NAME, Map.of("email", "ada@example.com"));
 * // later, in the controller behind the link in the email:
 * scheduler.findBySearchAttribute(UserRegistration.NAME, "email", "ada@example.com")
 *          .forEach(op -> scheduler.signal(op, UserRegistration.VERIFIED, Map.of("ip", request.ip())));
 * }</pre>
 */
public final class UserRegistration implements OperationDefinition {
    public static final String NAME = "user-registration";
    public static final String VERIFIED = "email-verified";

    /** Where the sample's side effects go: a user directory and a mailer. */
    public interface Services {
        long createUser(String email);

        void sendVerificationEmail(long userId, String email);

        void notifyAdministrator(long userId, String verifiedFrom);

        void sendReminder(long userId, String email);
    }

    private final Services services;
    private final Duration verificationWindow;

    public UserRegistration(Services services, Duration verificationWindow) {
        this.services = services;
        this.verificationWindow = verificationWindow;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void define(Flow flow) {
        flow.requires("email")
                .searchAttributes("email")
                .action("create-user", ctx -> ctx.set("userId", services.createUser(ctx.get("email", String.class))))
                .action("send-verification-email", ctx -> services.sendVerificationEmail(ctx.get("userId", Long.class), ctx.get("email", String.class)))
                .awaitSignal("verified?", VERIFIED, WaitOptions.timeout(verificationWindow).onTimeout("send-reminder").storeAs("verification"))
                .action("notify-administrator", ctx -> services.notifyAdministrator(ctx.get("userId", Long.class),
                        String.valueOf(ctx.get("verification", Map.class).get("ip"))), StepOptions.then("registered"))
                .action("send-reminder", ctx -> services.sendReminder(ctx.get("userId", Long.class), ctx.get("email", String.class)),
                        StepOptions.then("unverified"))
                .result("registered", (ctx, results) -> results.put("userId", ctx.get("userId", Long.class)).put("verified", true))
                .result("unverified", (ctx, results) -> results.put("userId", ctx.get("userId", Long.class)).put("verified", false));
    }
}
