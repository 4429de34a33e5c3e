package io.durableops.samples;

import io.durableops.core.OperationId;
import io.durableops.core.OperationStatus;
import io.durableops.samples.registration.UserRegistration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class UserRegistrationTest {
    final List<String> events = new CopyOnWriteArrayList<>();
    final UserRegistration.Services services = new UserRegistration.Services() {
        public long createUser(String email) {
            events.add("created " + email);
            return 7;
        }

        public void sendVerificationEmail(long userId, String email) {
            events.add("verification email to " + email);
        }

        public void notifyAdministrator(long userId, String verifiedFrom) {
            events.add("admin told: user " + userId + " verified from " + verifiedFrom);
        }

        public void sendReminder(long userId, String email) {
            events.add("reminder to " + email);
        }
    };

    @Test
    void theVerificationLinkSignalsTheWaitingRegistration() {
        try (SampleHarness h = new SampleHarness(new UserRegistration(services, Duration.ofDays(1)))) {
            OperationId id = h.ops.scheduler().enqueue(UserRegistration.NAME, Map.of("email", "ada@example.com"));
            h.dispatcher.runDue();
            assertThat(h.ops.scheduler().get(id).currentStep()).isEqualTo("verified?");
            h.clock.advance(Duration.ofHours(5));
            h.dispatcher.runDue();
            assertThat(events).containsExactly("created ada@example.com", "verification email to ada@example.com");

            // the controller behind the link finds the registration by email and signals it
            for (OperationId found : h.ops.scheduler().findBySearchAttribute(UserRegistration.NAME, "email", "ada@example.com")) {
                h.ops.scheduler().signal(found, UserRegistration.VERIFIED, Map.of("ip", "203.0.113.9"));
            }
            h.dispatcher.runDue();
            assertThat(events).last().isEqualTo("admin told: user 7 verified from 203.0.113.9");
            assertThat(h.ops.scheduler().get(id).status()).isEqualTo(OperationStatus.COMPLETED);
            assertThat(h.ops.scheduler().get(id).results().get("verified", Boolean.class)).isTrue();
        }
    }

    @Test
    void anUnverifiedRegistrationGetsAReminderWhenTheWindowCloses() {
        try (SampleHarness h = new SampleHarness(new UserRegistration(services, Duration.ofDays(1)))) {
            OperationId id = h.ops.scheduler().enqueue(UserRegistration.NAME, Map.of("email", "bob@example.com"));
            h.runToEnd();
            assertThat(events).last().isEqualTo("reminder to bob@example.com");
            assertThat(h.ops.scheduler().get(id).results().get("verified", Boolean.class)).isFalse();
            assertThat(h.clock.instant()).isEqualTo(java.time.Instant.parse("2026-11-22T09:00:00Z"));
        }
    }
}
