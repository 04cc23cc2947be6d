package org.silverlining.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class KeyRingTest {
  /** Key "a1" is bytes 0..31, key "b2" bytes 32..63; b2 is current, a1 retired until T1. */
  private static final String RING =
      """
      {
        "format" : 1,
        "current" : "b2",
        "keys" : [ {
          "id" : "b2",
          "created" : "2026-11-26T05:00:00Z",
          "key" : "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
        }, {
          "id" : "a1",
          "created" : "2026-11-20T05:00:00Z",
          "expires" : "2026-12-03T05:00:00Z",
          "key" : "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
        } ]
      }
      """;

  private static final Instant BEFORE_EXPIRY = Instant.parse("2026-11-27T00:00:00Z");
  private static final Instant AFTER_EXPIRY = Instant.parse("2026-12-03T05:00:00Z");

  private static KeyRing at(Instant t) {
    return KeyRing.parse(RING, Clock.fixed(t, ZoneOffset.UTC));
  }

  @Test
  void aSignatureIsTheKeyIdADotAndTheBase64urlHmacSha256OfTheDocumentedRecipe() {
    String oneKey =
        RING.replace("\"current\" : \"b2\"", "\"current\" : \"a1\"")
            .replace("\"expires\" : \"2026-12-03T05:00:00Z\",", "");

    // The value docs/config.md gives for key bytes 0..31 and the text user=42.
    assertThat(KeyRing.parse(oneKey).sign("user=42"))
        .isEqualTo("a1.4ek5xVRr8y31CZ3ou_HwW5f-3fo3pP4gmxSOGo2kOgI");
  }

  @Test
  void signingUsesTheCurrentKeyAndVerifyAcceptsItsSignature() {
    KeyRing ring = at(BEFORE_EXPIRY);
    String sig = ring.sign("order=17");

    assertThat(sig).startsWith("b2.");
    assertThat(ring.verify("order=17", sig)).isTrue();
    assertThat(ring.verify("order=18", sig)).isFalse();
  }

  @Test
  void aSignatureOfARetiredKeyVerifiesUntilItExpiresAndNotAfter() {
    String byOldKey = "a1.4ek5xVRr8y31CZ3ou_HwW5f-3fo3pP4gmxSOGo2kOgI";

    assertThat(at(BEFORE_EXPIRY).verify("user=42", byOldKey)).isTrue();
    assertThat(at(AFTER_EXPIRY).verify("user=42", byOldKey)).isFalse();
    assertThat(at(BEFORE_EXPIRY).ids()).containsExactly("b2", "a1");
    assertThat(at(AFTER_EXPIRY).ids()).containsExactly("b2");
  }

  @Test
  void malformedOrForeignSignaturesAreSimplyNotValid() {
    KeyRing ring = at(BEFORE_EXPIRY);
    String good = ring.sign("x");

    assertThat(ring.verify("x", null)).isFalse();
    assertThat(ring.verify("x", "")).isFalse();
    assertThat(ring.verify("x", "nodot")).isFalse();
    assertThat(ring.verify("x", "zz" + good.substring(2))).isFalse();
    assertThat(ring.verify("x", "b2.***")).isFalse();
    assertThat(ring.verify("x", good.substring(0, good.length() - 2))).isFalse();
  }

  @Test
  void theSecretIsTheCurrentKeysBytesAndToStringShowsIdsOnly() {
    KeyRing ring = at(BEFORE_EXPIRY);

    assertThat(ring.secret()).hasSize(32).startsWith((byte) 32, (byte) 33);
    assertThat(ring.currentId()).isEqualTo("b2");
    assertThat(ring.toString()).contains("b2", "a1").doesNotContain("ICEi", "AAEC");
  }

  @Test
  void aDamagedRingIsRefusedWithoutQuotingIt() {
    assertThatThrownBy(() -> KeyRing.parse("{\"format\": 1, \"current\": \"ICEiIyQl"))
        .hasMessageContaining("not valid JSON at line 1, column ")
        .hasMessageNotContaining("ICEiIyQl");
    assertThatThrownBy(
            () -> KeyRing.parse(RING.replace("\"current\" : \"b2\"", "\"current\" : \"c3\"")))
        .hasMessageContaining("the current key c3 is not in the ring");
  }
}
