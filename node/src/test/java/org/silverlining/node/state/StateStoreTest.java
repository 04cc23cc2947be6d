package org.silverlining.node.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTest {
  @TempDir Path dir;

  private StateStore open() throws SQLException {
    return new StateStore(dir.resolve("state.db"));
  }

  @Test
  void appsAreAddedOnceAndListedByName() throws SQLException {
    try (StateStore s = open()) {
      s.ensureApp("zeta");
      s.ensureApp("alpha");
      s.ensureApp("zeta");

      assertThat(s.apps()).containsExactly("alpha", "zeta");
      assertThat(s.disabledApps()).isEmpty();
    }
  }

  @Test
  void anAppCanBeDisabledAndEnabledAgain() throws SQLException {
    try (StateStore s = open()) {
      s.ensureApp("blog");
      s.ensureApp("shop");
      s.setDisabled("blog", true);

      assertThat(s.disabledApps()).containsExactly("blog");

      s.setDisabled("blog", false);
      assertThat(s.disabledApps()).isEmpty();
    }
  }

  @Test
  void anInstanceStartsDeployingAndKeepsItsStatusAndDetail() throws SQLException {
    try (StateStore s = open()) {
      Instant before = Instant.now();
      s.addInstance("blog.20261126_001", "blog", "h.test/blog");

      StateStore.InstanceRecord r = s.instance("blog.20261126_001").orElseThrow();
      assertThat(r.app()).isEqualTo("blog");
      assertThat(r.location()).isEqualTo("h.test/blog");
      assertThat(r.status()).isEqualTo("deploying");
      assertThat(r.detail()).isEmpty();
      assertThat(Instant.parse(r.created())).isAfterOrEqualTo(before.minusSeconds(1));

      s.setInstanceStatus("blog.20261126_001", "ready", "deployed by ann");
      assertThat(s.instance("blog.20261126_001").orElseThrow())
          .extracting(StateStore.InstanceRecord::status, StateStore.InstanceRecord::detail)
          .containsExactly("ready", "deployed by ann");
      assertThat(s.instance("blog.20261126_009")).isEmpty();
    }
  }

  @Test
  void instancesAreListedPerAppNewestFirstAndByStatus() throws Exception {
    try (StateStore s = open()) {
      s.addInstance("blog.20261126_001", "blog", "h.test");
      Thread.sleep(5);
      s.addInstance("blog.20261126_002", "blog", "h.test");
      s.addInstance("shop.20261126_001", "shop", "s.test");
      s.setInstanceStatus("blog.20261126_001", "failed", "boom");

      assertThat(s.instancesOf("blog"))
          .extracting(StateStore.InstanceRecord::name)
          .containsExactly("blog.20261126_002", "blog.20261126_001");
      assertThat(s.instancesWithStatus("deploying"))
          .extracting(StateStore.InstanceRecord::name)
          .containsExactlyInAnyOrder("blog.20261126_002", "shop.20261126_001");
    }
  }

  @Test
  void anInstanceNameIsUsedOnlyOnce() throws SQLException {
    try (StateStore s = open()) {
      s.addInstance("blog.20261126_001", "blog", "h.test");

      assertThatThrownBy(() -> s.addInstance("blog.20261126_001", "blog", "h.test"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void aLocationIsReplacedWholeAndCanBeRemoved() throws SQLException {
    try (StateStore s = open()) {
      s.putLocation(new StateStore.LocationRecord("h.test", "blog", "blog.20261126_001", null));
      s.putLocation(
          new StateStore.LocationRecord(
              "h.test", "blog", "blog.20261126_002", "blog.20261126_001"));
      s.putLocation(new StateStore.LocationRecord("a.test/x", "shop", "shop.20261126_001", null));

      assertThat(s.location("h.test"))
          .contains(
              new StateStore.LocationRecord(
                  "h.test", "blog", "blog.20261126_002", "blog.20261126_001"));
      assertThat(s.locations())
          .extracting(StateStore.LocationRecord::location)
          .containsExactly("a.test/x", "h.test");

      s.removeLocation("h.test");
      assertThat(s.location("h.test")).isEmpty();
      assertThat(s.locations()).hasSize(1);
    }
  }

  @Test
  void processesAreRecordedUntilForgotten() throws SQLException {
    try (StateStore s = open()) {
      s.addProcess(4242, "blog.20261126_001", 1_700_000_000_000L);
      s.addProcess(4343, "blog.20261126_001", 0);
      s.addProcess(4242, "blog.20261126_002", 1_700_000_000_500L); // a reused pid replaces

      assertThat(s.processes())
          .containsExactlyInAnyOrder(
              new StateStore.ProcessRecord(4242, "blog.20261126_002", 1_700_000_000_500L),
              new StateStore.ProcessRecord(4343, "blog.20261126_001", 0));

      s.removeProcess(4242);
      assertThat(s.processes()).extracting(StateStore.ProcessRecord::pid).containsExactly(4343L);
    }
  }

  @Test
  void everythingSurvivesClosingAndReopening() throws SQLException {
    try (StateStore s = open()) {
      s.ensureApp("blog");
      s.setDisabled("blog", true);
      s.addInstance("blog.20261126_001", "blog", "h.test");
      s.setInstanceStatus("blog.20261126_001", "ready", "deployed by ann");
      s.putLocation(new StateStore.LocationRecord("h.test", "blog", "blog.20261126_001", null));
      s.addProcess(777, "blog.20261126_001", 123);
    }

    try (StateStore s = open()) {
      assertThat(s.apps()).containsExactly("blog");
      assertThat(s.disabledApps()).containsExactly("blog");
      assertThat(s.instance("blog.20261126_001").orElseThrow().status()).isEqualTo("ready");
      assertThat(s.locations())
          .containsExactly(
              new StateStore.LocationRecord("h.test", "blog", "blog.20261126_001", null));
      assertThat(s.processes())
          .containsExactly(new StateStore.ProcessRecord(777, "blog.20261126_001", 123));
    }
  }

  @Test
  void twoStoresOnOneFileSeeEachOthersCommittedChanges() throws SQLException {
    try (StateStore writer = open();
        StateStore reader = open()) {
      writer.putLocation(
          new StateStore.LocationRecord("h.test", "blog", "blog.20261126_001", null));

      assertThat(reader.location("h.test")).isPresent();
    }
  }
}
