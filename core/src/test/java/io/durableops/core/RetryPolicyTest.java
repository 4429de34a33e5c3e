package io.durableops.core;

import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backoff, jitter and the retry decision, computed without a clock or a random generator of their own. */
class RetryPolicyTest {
    /** A random number as close to 1 as {@code delayAfter} can be given (it takes numbers in [0, 1)). */
    private static final double ALMOST_ONE = Math.nextDown(1.0);
    /** The middle of the jitter range: no jitter at all. */
    private static final double MIDDLE = 0.5;

    @Test
    void theDefaultDoublesFromOneSecond() {
        RetryPolicy policy = RetryPolicy.defaults();

        assertThat(policy.maxAttempts()).isEqualTo(5);
        assertThat(IntStream.rangeClosed(1, 5).mapToObj(n -> policy.delayAfter(n, MIDDLE)))
                .containsExactly(seconds(1), seconds(2), seconds(4), seconds(8), seconds(16));
    }

    @Test
    void delaysAreCappedByMaxDelay() {
        RetryPolicy policy = RetryPolicy.exponential(10).withJitter(0).withMaxDelay(seconds(5));

        assertThat(IntStream.rangeClosed(1, 6).mapToObj(n -> policy.delayAfter(n, 0.9)))
                .containsExactly(seconds(1), seconds(2), seconds(4), seconds(5), seconds(5), seconds(5));
    }

    @Test
    void theDefaultCapIsTenMinutesAndHugeAttemptCountsDoNotOverflow() {
        RetryPolicy policy = RetryPolicy.defaults().withJitter(0);

        assertThat(policy.delayAfter(10, MIDDLE)).isEqualTo(Duration.ofMillis(512_000));
        assertThat(policy.delayAfter(11, MIDDLE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.delayAfter(10_000, MIDDLE)).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.delayAfter(Integer.MAX_VALUE, MIDDLE)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void initialDelayAndMultiplierShapeTheCurve() {
        RetryPolicy policy = RetryPolicy.exponential(5).withJitter(0).withInitialDelay(Duration.ofMillis(500)).withMultiplier(3.0);

        assertThat(IntStream.rangeClosed(1, 4).mapToObj(n -> policy.delayAfter(n, MIDDLE)))
                .containsExactly(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(4500), Duration.ofMillis(13_500));
        assertThat(policy.delayAfter(0, MIDDLE)).as("before any failure: the initial delay").isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void anInitialDelayLongerThanTheCapRaisesTheCap() {
        RetryPolicy policy = RetryPolicy.defaults().withJitter(0).withInitialDelay(Duration.ofMinutes(20));

        assertThat(policy.delayAfter(1, MIDDLE)).isEqualTo(Duration.ofMinutes(20));
        assertThat(policy.delayAfter(5, MIDDLE)).isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void jitterSpansMinusToPlusItsShare() {
        RetryPolicy policy = RetryPolicy.defaults(); // ±20%

        assertThat(policy.delayAfter(1, 0.0)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.delayAfter(1, 0.25)).isEqualTo(Duration.ofMillis(900));
        assertThat(policy.delayAfter(1, ALMOST_ONE)).isEqualTo(Duration.ofMillis(1200));
        assertThat(policy.delayAfter(3, 0.0)).isEqualTo(Duration.ofMillis(3200));
        assertThat(policy.delayAfter(3, ALMOST_ONE)).isEqualTo(Duration.ofMillis(4800));
    }

    @Test
    void everyRandomNumberGivesADelayWithinTheJitterBounds() {
        RetryPolicy policy = RetryPolicy.defaults().withJitter(0.5);

        for (int i = 0; i < 1000; i++) {
            double random = i / 1000.0;
            assertThat(policy.delayAfter(2, random)).isBetween(Duration.ofMillis(1000), Duration.ofMillis(3000));
        }
        assertThat(policy.delayAfter(2, 0.0)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.delayAfter(2, ALMOST_ONE)).isEqualTo(Duration.ofMillis(3000));
    }

    @Test
    void withoutJitterTheRandomNumberDoesNotMatter() {
        RetryPolicy policy = RetryPolicy.fixed(3, seconds(7));

        assertThat(policy.maxAttempts()).isEqualTo(3);
        assertThat(policy.delayAfter(1, 0.0)).isEqualTo(seconds(7));
        assertThat(policy.delayAfter(2, ALMOST_ONE)).isEqualTo(seconds(7));
        assertThat(policy.delayAfter(50, MIDDLE)).isEqualTo(seconds(7));
        assertThat(RetryPolicy.fixed(2, Duration.ZERO).delayAfter(1, ALMOST_ONE)).isZero();
    }

    @Test
    void shouldRetryUntilMaxAttemptsFailures() {
        RetryPolicy policy = RetryPolicy.exponential(3);
        RuntimeException failure = new IllegalStateException("provider down");

        assertThat(policy.shouldRetry(1, failure)).isTrue();
        assertThat(policy.shouldRetry(2, failure)).isTrue();
        assertThat(policy.shouldRetry(3, failure)).isFalse();
        assertThat(policy.shouldRetry(4, failure)).isFalse();
    }

    @Test
    void noneAllowsASingleTry() {
        assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
        assertThat(RetryPolicy.none().shouldRetry(1, new RuntimeException())).isFalse();
        assertThat(RetryPolicy.exponential(1).shouldRetry(1, new RuntimeException())).isFalse();
    }

    @Test
    void nonRetryableTypesAndTheirSubclassesFailAtOnce() {
        RetryPolicy policy = RetryPolicy.exponential(10).withNonRetryable(IllegalArgumentException.class, IOException.class);

        assertThat(policy.shouldRetry(1, new IllegalArgumentException("bad card number"))).isFalse();
        assertThat(policy.shouldRetry(1, new NumberFormatException("not a number"))).as("a subclass").isFalse();
        assertThat(policy.shouldRetry(1, new FileNotFoundException("gone"))).as("a subclass").isFalse();
        assertThat(policy.shouldRetry(1, new IllegalStateException("provider down"))).isTrue();
        assertThat(policy.shouldRetry(1, new UncheckedIOException(new IOException("wrapped")))).as("only the failure's own type counts").isTrue();
        assertThat(policy.shouldRetry(1, new RuntimeException())).as("a superclass is not a subclass").isTrue();
    }

    @Test
    void nonRetryableTypesAccumulate() {
        RetryPolicy policy = RetryPolicy.defaults()
                .withNonRetryable(IllegalArgumentException.class)
                .withNonRetryable(UnsupportedOperationException.class);

        assertThat(policy.shouldRetry(1, new IllegalArgumentException())).isFalse();
        assertThat(policy.shouldRetry(1, new UnsupportedOperationException())).isFalse();
        assertThat(policy.toString()).contains("IllegalArgumentException").contains("UnsupportedOperationException");
    }

    @Test
    void policiesAreImmutable() {
        RetryPolicy base = RetryPolicy.defaults();

        RetryPolicy changed = base.withMaxAttempts(2).withJitter(0).withNonRetryable(IllegalArgumentException.class)
                .withMaxDelay(seconds(3));

        assertThat(changed).isNotSameAs(base);
        assertThat(base.maxAttempts()).isEqualTo(5);
        assertThat(base.shouldRetry(1, new IllegalArgumentException())).isTrue();
        assertThat(base.delayAfter(4, MIDDLE)).isEqualTo(seconds(8));
        assertThat(RetryPolicy.defaults()).isSameAs(base);
        assertThat(changed.maxAttempts()).isEqualTo(2);
        assertThat(changed.delayAfter(4, 0.0)).isEqualTo(seconds(3));
    }

    @Test
    void nonsenseSettingsAreRejectedWithTheSettingNamed() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxAttempts must be at least 1");
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxAttempts(-3))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("was -3");
        assertThatThrownBy(() -> RetryPolicy.fixed(0, seconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> RetryPolicy.fixed(3, seconds(-1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("initialDelay must not be negative");
        assertThatThrownBy(() -> RetryPolicy.defaults().withInitialDelay(Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("initialDelay must not be negative");
        assertThatThrownBy(() -> RetryPolicy.defaults().withMaxDelay(Duration.ofMillis(999)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("maxDelay PT0.999S is shorter than initialDelay PT1S");
        assertThatThrownBy(() -> RetryPolicy.defaults().withMultiplier(0.5))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("multiplier must be at least 1.0");
        assertThatThrownBy(() -> RetryPolicy.defaults().withMultiplier(Double.NaN))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(1.0))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("jitter must be in [0, 1)");
        assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(-0.1))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("jitter");
        assertThatThrownBy(() -> RetryPolicy.defaults().withJitter(Double.NaN))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("jitter");
    }

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }
}
