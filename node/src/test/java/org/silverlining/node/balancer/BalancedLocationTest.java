package org.silverlining.node.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.silverlining.core.Location;

class BalancedLocationTest {
  private final Upstream a = Upstream.parse("10.0.0.11:8080");
  private final Upstream b = Upstream.parse("10.0.0.12:8080");
  private final BalancedLocation site =
      new BalancedLocation(Location.parse("www.example.com"), "site", List.of(a, b));

  @Test
  void requestsGoToTheAppServersInTurn() {
    List<Upstream> picked = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      picked.add(site.pick(Set.of()));
    }
    assertThat(picked).containsExactly(a, b, a, b);
  }

  @Test
  void aServerLeavesAfterTwoFailedChecksAndComesBackAfterTwoPassed() {
    b.failed();
    assertThat(b.healthy()).isTrue();
    b.failed();
    assertThat(b.healthy()).isFalse();
    assertThat(List.of(site.pick(Set.of()), site.pick(Set.of()))).containsOnly(a);

    b.passed();
    assertThat(b.healthy()).isFalse();
    b.passed();
    assertThat(b.healthy()).isTrue();
  }

  @Test
  void aRetryGoesToAServerNotTriedAndNoneIsLeftOnceAllWere() {
    a.unreachable();
    assertThat(a.healthy()).isFalse();
    assertThat(site.pick(Set.of(b))).as("out of rotation, but the only one not tried").isEqualTo(a);
    assertThat(site.pick(Set.of(a, b))).isNull();
  }

  @Test
  void anUpstreamIsHostAndPort() {
    assertThat(Upstream.parse("[::1]:8080").host()).isEqualTo("::1");
    assertThatThrownBy(() -> Upstream.parse("10.0.0.11"))
        .hasMessage("an upstream is HOST:PORT, not '10.0.0.11'");
    assertThatThrownBy(() -> Upstream.parse("10.0.0.11:0"))
        .hasMessage("the port of '10.0.0.11:0' is not 1-65535");
  }
}
