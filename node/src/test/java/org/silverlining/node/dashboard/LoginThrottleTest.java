package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {
  private final SessionsTest.TestClock clock = new SessionsTest.TestClock();
  private final LoginThrottle throttle = new LoginThrottle(clock);

  @Test
  void aClientIsHeldBackAfterTooManyFailuresUntilTheWindowPasses() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.wait("10.0.0.1", "user" + i)).isEmpty();
      throttle.failed("10.0.0.1", "user" + i);
      clock.pass(Duration.ofSeconds(10));
    }
    assertThat(throttle.wait("10.0.0.1", "someone")).isPresent();
    assertThat(throttle.wait("10.0.0.2", "someone")).as("another client").isEmpty();
    clock.pass(LoginThrottle.WINDOW.minusSeconds(90));
    assertThat(throttle.wait("10.0.0.1", "someone")).as("the first failure is old now").isEmpty();
  }

  @Test
  void aUserIsHeldBackAfterTooManyFailuresFromAnywhere() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      throttle.failed("10.0.1." + i, "ada");
    }
    assertThat(throttle.wait("10.0.2.1", "ada"))
        .hasValueSatisfying(w -> assertThat(w).isPositive());
    assertThat(throttle.wait("10.0.2.1", "bob")).isEmpty();
  }

  @Test
  void aSuccessForgetsTheUsersFailures() {
    for (int i = 0; i < LoginThrottle.MAX_FAILURES - 1; i++) {
      throttle.failed("10.0.1." + i, "ada");
    }
    throttle.succeeded("ada");
    throttle.failed("10.0.3.1", "ada");
    assertThat(throttle.wait("10.0.3.2", "ada")).isEmpty();
  }
}
