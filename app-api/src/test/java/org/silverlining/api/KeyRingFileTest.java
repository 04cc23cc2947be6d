package org.silverlining.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyRingFileTest {
  private static final String KEY_A = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  private static final String RING =
      """
      {"format": 1, "current": "b2", "keys": [
        {"id": "b2", "created": "2026-11-26T05:00:00Z", "key": "%s"},
        {"id": "a1", "created": "2026-11-20T05:00:00Z", "expires": "2026-12-03T05:00:00Z",
         "key": "%s"}]}
      """
          .formatted(KEY_A, KEY_A);

  @Test
  void readsEveryKeyWithItsDatesAndBytes() {
    KeyRingFile f = KeyRingFile.parse(RING);

    assertThat(f.current()).isEqualTo("b2");
    assertThat(f.keys()).extracting(KeyRingFile.Entry::id).containsExactly("b2", "a1");
    assertThat(f.keys().get(0).expires()).isNull();
    assertThat(f.keys().get(1).expires()).isEqualTo(Instant.parse("2026-12-03T05:00:00Z"));
    assertThat(f.keys().get(1).created()).isEqualTo(Instant.parse("2026-11-20T05:00:00Z"));
    assertThat(f.keys().get(0).material()).hasSize(32).startsWith((byte) 0, (byte) 1);
    assertThat(f.keys().get(0).toString()).doesNotContain(KEY_A);
  }

  @Test
  void aRingOfANewerFormatIsToldApart() {
    assertThatThrownBy(() -> KeyRingFile.parse(RING.replace("\"format\": 1", "\"format\": 2")))
        .isInstanceOfSatisfying(
            KeyRingFile.NewerFormatException.class, e -> assertThat(e.format()).isEqualTo(2));
  }

  @Test
  void eachWayAKeyCanBeWrongIsNamedWithoutQuotingTheKey() {
    assertThatThrownBy(() -> KeyRingFile.parse(RING.replace("\"format\": 1", "\"format\": 0")))
        .hasMessage("\"format\" is not 1");
    assertThatThrownBy(
            () -> KeyRingFile.parse(RING.replace("\"b2\", \"created\"", "\"b 2\", \"created\"")))
        .hasMessageContaining("a key id must be 1 to 64 of");
    assertThatThrownBy(() -> KeyRingFile.parse(RING.replace("2026-11-26T05:00:00Z", "yesterday")))
        .hasMessage("key b2: \"created\" is not an instant such as 2026-11-26T04:30:00Z");
    assertThatThrownBy(() -> KeyRingFile.parse(RING.replaceFirst(KEY_A, "AAEC")))
        .hasMessage("key b2 has 3 bytes, not 32");
    assertThatThrownBy(() -> KeyRingFile.parse(RING.replaceFirst(KEY_A, "not base64!")))
        .hasMessage("key b2 is not base64");
    assertThatThrownBy(
            () -> KeyRingFile.parse(RING.replace("\"current\": \"b2\"", "\"current\": 7")))
        .hasMessage("the current key (none) is not in the ring");
    assertThatThrownBy(() -> KeyRingFile.parse("[]")).hasMessage("not a JSON object");
  }
}
