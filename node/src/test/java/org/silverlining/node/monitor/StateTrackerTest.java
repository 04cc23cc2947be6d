package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StateTrackerTest {
  private static List<String> changes(StateTracker t, String... results) {
    List<String> out = new ArrayList<>();
    for (String r : results) {
      String c = t.record(r);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  @Test
  void aLongOutageIsOneChangeDownAndOneUp() {
    StateTracker t = new StateTracker("up");

    assertThat(changes(t, "up", "up", "down", "down", "down", "down", "down", "up", "up", "up"))
        .containsExactly("down", "up");
  }

  @Test
  void aCheckThatFlapsFromOneResultToTheNextNeverChangesState() {
    StateTracker t = new StateTracker("up");
    changes(t, "up", "up");

    assertThat(changes(t, "down", "up", "down", "up", "down", "up", "down", "up")).isEmpty();
    assertThat(t.state()).isEqualTo("up");
  }

  @Test
  void settlingUpAtFirstIsNoNewsButSettlingDownIs() {
    assertThat(changes(new StateTracker("up"), "up", "up")).isEmpty();
    assertThat(changes(new StateTracker("up"), "down", "down")).containsExactly("down");
  }
}
