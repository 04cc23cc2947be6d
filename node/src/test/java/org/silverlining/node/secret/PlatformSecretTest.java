package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.layout.NodeLayout;

class PlatformSecretTest {
  @TempDir Path root;

  private NodeLayout layout() throws Exception {
    NodeLayout layout = new NodeLayout(root);
    layout.create();
    layout.createApp("shop");
    return layout;
  }

  private static KeyRing read(Path file) throws Exception {
    return KeyRing.parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
  }

  @Test
  void theRingIsCreatedOnceWithModeSixHundredAndKeptAcrossOpens() throws Exception {
    NodeLayout layout = layout();
    String first;
    try (PlatformSecret s = PlatformSecret.open(layout, Clock.systemUTC(), List::of)) {
      first = s.ring().current();
    }
    try (PlatformSecret s = PlatformSecret.open(layout, Clock.systemUTC(), List::of)) {
      assertThat(s.ring().current()).isEqualTo(first);
      Path app = s.publish("shop");
      assertThat(read(app).current()).isEqualTo(first);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(app)))
          .isEqualTo("rw-------");
    }
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.keyringFile())))
        .isEqualTo("rw-------");
  }

  @Test
  void rotationReachesEveryAppsCopyAndDescribeNeverShowsKeyMaterial() throws Exception {
    NodeLayout layout = layout();
    try (PlatformSecret s = PlatformSecret.open(layout, Clock.systemUTC(), () -> List.of("shop"))) {
      s.publish("shop");
      String old = s.ring().current();

      var d = s.rotate(Duration.ofDays(7));

      KeyRing app = read(layout.appKeyring("shop"));
      assertThat(app.current()).isEqualTo(s.ring().current()).isNotEqualTo(old);
      assertThat(app.keys()).extracting(KeyRing.Key::id).contains(old);
      assertThat(d.toString()).contains(old).doesNotContain("key=", "material");
      for (KeyRing.Key k : app.keys()) {
        assertThat(d.toString())
            .doesNotContain(java.util.Base64.getEncoder().encodeToString(k.material()));
      }
    }
  }

  @Test
  void aRetiredKeyLeavesTheFilesWhenItsGraceEndsWhileTheNodeRuns() throws Exception {
    NodeLayout layout = layout();
    try (PlatformSecret s = PlatformSecret.open(layout, Clock.systemUTC(), () -> List.of("shop"))) {
      s.start();
      s.rotate(Duration.ofSeconds(2));
      assertThat(read(layout.appKeyring("shop")).keys()).hasSize(2);

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (read(layout.appKeyring("shop")).keys().size() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }

      assertThat(read(layout.appKeyring("shop")).keys()).hasSize(1);
      assertThat(read(layout.keyringFile()).keys()).hasSize(1);
    }
  }

  @Test
  void keysThatExpiredWhileTheNodeWasStoppedAreRemovedAtOpen() throws Exception {
    NodeLayout layout = layout();
    Instant t0 = Instant.parse("2026-11-26T04:00:00Z");
    try (PlatformSecret s =
        PlatformSecret.open(layout, Clock.fixed(t0, ZoneOffset.UTC), List::of)) {
      s.rotate(Duration.ofHours(1));
      assertThat(s.ring().keys()).hasSize(2);
    }
    Clock later = Clock.fixed(t0.plus(Duration.ofHours(2)), ZoneOffset.UTC);
    try (PlatformSecret s = PlatformSecret.open(layout, later, List::of)) {
      assertThat(s.ring().keys()).hasSize(1);
      assertThat(read(layout.keyringFile()).keys()).hasSize(1);
    }
  }

  @Test
  void aDamagedRingIsNeverReplaced() throws Exception {
    NodeLayout layout = layout();
    Files.writeString(layout.keyringFile(), "{\"format\": 1, \"keys\": [");

    assertThatThrownBy(() -> PlatformSecret.open(layout, Clock.systemUTC(), List::of))
        .hasMessageContaining(layout.keyringFile().toString())
        .hasMessageContaining("will not replace it");
    assertThat(Files.readString(layout.keyringFile())).isEqualTo("{\"format\": 1, \"keys\": [");
  }
}
