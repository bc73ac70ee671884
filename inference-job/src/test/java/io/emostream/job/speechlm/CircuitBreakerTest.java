package io.emostream.job.speechlm;

import static io.emostream.job.speechlm.CircuitBreaker.Ticket.DENIED;
import static io.emostream.job.speechlm.CircuitBreaker.Ticket.SENT;
import static io.emostream.job.speechlm.CircuitBreaker.Ticket.TRIAL;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The circuit breaker's states, on a clock the test sets. */
class CircuitBreakerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void whileOpenOnlyTheTrialsOutcomeCounts() {
        CircuitBreaker breaker = new CircuitBreaker(2, 10 * SECOND);
        CircuitBreaker.Ticket early = breaker.allow(0);
        CircuitBreaker.Ticket late = breaker.allow(0);
        breaker.failed(breaker.allow(0), 1);
        breaker.failed(breaker.allow(0), 2 * SECOND);
        assertThat(breaker.allow(3 * SECOND)).as("two failures in a row open it").isEqualTo(DENIED);

        breaker.succeeded(early);
        assertThat(breaker.allow(4 * SECOND)).as("an answer to a request sent before it opened does not close it").isEqualTo(DENIED);
        breaker.failed(late, 5 * SECOND);
        assertThat(breaker.millisUntilTrial(5 * SECOND)).as("nor does a late failure push the trial back").isEqualTo(7_000);

        CircuitBreaker.Ticket trial = breaker.allow(12 * SECOND);
        assertThat(trial).isEqualTo(TRIAL);
        assertThat(breaker.allow(12 * SECOND)).as("one trial at a time").isEqualTo(DENIED);
        breaker.failed(trial, 13 * SECOND);
        assertThat(breaker.millisUntilTrial(13 * SECOND)).as("a failed trial opens it again").isEqualTo(10_000);

        CircuitBreaker.Ticket unsent = breaker.allow(23 * SECOND);
        assertThat(unsent).isEqualTo(TRIAL);
        breaker.unused(unsent);
        CircuitBreaker.Ticket second = breaker.allow(23 * SECOND);
        assertThat(second).as("a trial not sent leaves room for another").isEqualTo(TRIAL);
        breaker.succeeded(second);
        assertThat(breaker.allow(24 * SECOND)).as("a good trial closes it").isEqualTo(SENT);
        assertThat(breaker.failuresInARow()).isZero();
    }
}
