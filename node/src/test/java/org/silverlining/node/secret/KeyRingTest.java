package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class KeyRingTest {
  private static final Instant T0 = Instant.parse("2026-11-26T04:00:00Z");

  @Test
  void aFreshRingHasOneCurrentKeyOf32RandomBytes() {
    KeyRing a = KeyRing.fresh(T0);
    KeyRing b = KeyRing.fresh(T0);

    assertThat(a.keys()).hasSize(1);
    assertThat(a.currentKey().material()).hasSize(32);
    assertThat(a.currentKey().expires()).isNull();
    assertThat(a.currentKey().material()).isNotEqualTo(b.currentKey().material());
    assertThat(a.current()).matches("[0-9a-f]{8}");
  }

  @Test
  void rotationMakesANewCurrentKeyAndTheOldOneExpiresAfterTheGrace() {
    KeyRing ring = KeyRing.fresh(T0);
    String old = ring.current();

    KeyRing rotated = ring.rotated(Duration.ofDays(7), T0);

    assertThat(rotated.current()).isNotEqualTo(old);
    assertThat(rotated.keys()).extracting(KeyRing.Key::id).containsExactly(rotated.current(), old);
    assertThat(rotated.keys().get(1).expires()).isEqualTo(T0.plus(Duration.ofDays(7)));
    assertThat(rotated.withoutExpired(T0.plus(Duration.ofDays(7)).minusSeconds(1)).keys())
        .hasSize(2);
    assertThat(rotated.withoutExpired(T0.plus(Duration.ofDays(7))).keys())
        .extracting(KeyRing.Key::id)
        .containsExactly(rotated.current());
  }

  @Test
  void aGraceOfZeroDropsEveryOldKeyAtOnce() {
    KeyRing twice = KeyRing.fresh(T0).rotated(Duration.ofDays(7), T0);

    KeyRing now = twice.rotated(Duration.ZERO, T0.plusSeconds(60));

    assertThat(now.keys()).hasSize(1);
    assertThat(now.current()).isNotIn(twice.keys().stream().map(KeyRing.Key::id).toList());
  }

  @Test
  void aShorterGraceCutsAnEarlierRetiredKeyShortButALongerOneNeverExtendsIt() {
    KeyRing ring = KeyRing.fresh(T0).rotated(Duration.ofHours(1), T0);
    String first = ring.keys().get(1).id();

    KeyRing longer = ring.rotated(Duration.ofDays(7), T0);

    assertThat(longer.keys())
        .filteredOn(k -> k.id().equals(first))
        .singleElement()
        .extracting(KeyRing.Key::expires)
        .isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(longer.nextExpiry()).contains(T0.plus(Duration.ofHours(1)));
  }

  @Test
  void theFileFormReadsBackTheSameRing() {
    KeyRing ring = KeyRing.fresh(T0).rotated(Duration.ofHours(12), T0.plusSeconds(5));

    KeyRing back = KeyRing.parse(ring.toJson(), "keyring.json");

    assertThat(back.current()).isEqualTo(ring.current());
    assertThat(back.keys()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(back.keys().get(i).id()).isEqualTo(ring.keys().get(i).id());
      assertThat(back.keys().get(i).material()).isEqualTo(ring.keys().get(i).material());
      assertThat(back.keys().get(i).expires()).isEqualTo(ring.keys().get(i).expires());
    }
    assertThat(ring.toJson()).contains("\"format\" : 1", "\"expires\"");
  }

  @Test
  void aDamagedFileIsNamedAndItsTextIsNeverQuoted() {
    String key = Base64.getEncoder().encodeToString(new byte[32]);
    String broken =
        "{\"format\": 1, \"current\": \"a\", \"keys\": [{\"id\": \"a\", \"key\": \"" + key;

    assertThatThrownBy(() -> KeyRing.parse(broken, "/r/secrets/keyring.json"))
        .hasMessageStartingWith("/r/secrets/keyring.json: not valid JSON at line 1")
        .hasMessageNotContaining(key);
    assertThatThrownBy(
            () ->
                KeyRing.parse(
                    "{\"format\": 1, \"current\": \"b\", \"keys\": [{\"id\": \"a\", \"created\":"
                        + " \"2026-01-01T00:00:00Z\", \"key\": \""
                        + key
                        + "\"}]}",
                    "keyring.json"))
        .hasMessageContaining("the current key b is not in the ring");
  }

  @Test
  void aKeyNeverShowsItsMaterialInToString() {
    KeyRing ring = KeyRing.fresh(T0);
    String b64 = Base64.getEncoder().encodeToString(ring.currentKey().material());

    assertThat(ring.toString()).doesNotContain(b64).contains(ring.current());
  }

  @Test
  void aRingInAFormatNewerThanThisNodeKnowsIsRefusedAsNewer() {
    String json = KeyRing.fresh(T0).toJson().replace("\"format\" : 1", "\"format\" : 2");
    assertThat(json).contains("\"format\" : 2");
    assertThatThrownBy(() -> KeyRing.parse(json, "secrets/keyring.json"))
        .isInstanceOf(org.silverlining.node.state.NewerFormatException.class)
        .hasMessageContaining("secrets/keyring.json is in format version 2")
        .hasMessageContaining("up to 1");
  }
}
