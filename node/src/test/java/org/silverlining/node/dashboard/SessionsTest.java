package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SessionsTest {
  /** A clock the test moves. */
  static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    void pass(Duration d) {
      now = now.plus(d);
    }
  }

  private final TestClock clock = new TestClock();
  private final Sessions sessions =
      new Sessions(new DashboardSettings(Duration.ofMinutes(30), Duration.ofHours(2)), clock);

  @Test
  void aSessionLivesWhileUsedWithinTheIdleTimeout() {
    Sessions.Session s = sessions.create("ada");
    clock.pass(Duration.ofMinutes(29));
    assertThat(sessions.find(s.id())).contains(s);
    clock.pass(Duration.ofMinutes(29));
    assertThat(sessions.find(s.id())).contains(s);
    clock.pass(Duration.ofMinutes(30));
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void aSessionEndsAtTheAbsoluteTimeoutHoweverBusy() {
    Sessions.Session s = sessions.create("ada");
    for (int i = 0; i < 7; i++) {
      clock.pass(Duration.ofMinutes(17));
      assertThat(sessions.find(s.id())).contains(s);
    }
    clock.pass(Duration.ofMinutes(17)); // 2 h after it began
    assertThat(sessions.find(s.id())).isEmpty();
  }

  @Test
  void aLoginFormsSessionOutlastsAShortIdleTimeout() {
    Sessions short_ =
        new Sessions(new DashboardSettings(Duration.ofSeconds(3), Duration.ofHours(1)), clock);
    Sessions.Session form = short_.create(null);
    clock.pass(Duration.ofMinutes(14));
    assertThat(short_.find(form.id())).contains(form);
    clock.pass(Duration.ofMinutes(1));
    assertThat(short_.find(form.id())).isEmpty();
  }

  @Test
  void idsAndTokensAreRandomAndTheTokenIsComparedWhole() {
    Sessions.Session a = sessions.create("ada");
    Sessions.Session b = sessions.create("ada");
    assertThat(a.id()).isNotEqualTo(b.id()).hasSize(43);
    assertThat(a.csrf()).isNotEqualTo(b.csrf()).isNotEqualTo(a.id());
    assertThat(a.csrfMatches(a.csrf())).isTrue();
    assertThat(a.csrfMatches(b.csrf())).isFalse();
    assertThat(a.csrfMatches(a.csrf().substring(1))).isFalse();
    assertThat(a.csrfMatches(null)).isFalse();
  }

  @Test
  void loginFormSessionsAreCappedOldestFirstAndUsersKept() {
    Sessions.Session user = sessions.create("ada");
    Sessions.Session first = sessions.create(null);
    for (int i = 0; i < Sessions.MAX_ANONYMOUS; i++) {
      sessions.create(null);
    }
    assertThat(sessions.find(first.id())).isEmpty();
    assertThat(sessions.find(user.id())).contains(user);
    assertThat(sessions.size()).isEqualTo(Sessions.MAX_ANONYMOUS + 1);
  }

  @Test
  void removingAUserEndsTheirSessionsOnly() {
    Sessions.Session a = sessions.create("ada");
    Sessions.Session b = sessions.create("bob");
    sessions.removeUser("ada");
    assertThat(sessions.find(a.id())).isEmpty();
    assertThat(sessions.find(b.id())).contains(b);
  }
}
