package org.silverlining.node.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TotpTest {
  /** The SHA-1 secret of RFC 6238's test vectors (appendix B). */
  private static final byte[] RFC_SECRET =
      "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

  @Test
  void codesAreTheLastSixDigitsOfRfc6238sTestVectors() {
    assertThat(Totp.code(RFC_SECRET, Totp.step(59))).isEqualTo("287082");
    assertThat(Totp.code(RFC_SECRET, Totp.step(1111111109))).isEqualTo("081804");
    assertThat(Totp.code(RFC_SECRET, Totp.step(1111111111))).isEqualTo("050471");
    assertThat(Totp.code(RFC_SECRET, Totp.step(1234567890))).isEqualTo("005924");
    assertThat(Totp.code(RFC_SECRET, Totp.step(2000000000))).isEqualTo("279037");
    assertThat(Totp.code(RFC_SECRET, Totp.step(20000000000L))).isEqualTo("353130");
  }

  @Test
  void aCodeOfTheStepBeforeOrAfterIsTakenAndNoneFurther() {
    long now = 1234567890;
    long step = Totp.step(now);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step), now)).hasValue(step);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 1), now)).hasValue(step - 1);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step + 1), now)).hasValue(step + 1);
    assertThat(Totp.match(RFC_SECRET, Totp.code(RFC_SECRET, step - 2), now)).isEmpty();
    assertThat(Totp.match(RFC_SECRET, null, now)).isEmpty();
    assertThat(Totp.match(RFC_SECRET, "", now)).isEmpty();
  }

  @Test
  void base32RoundTripsAndTheUriCarriesIssuerAndSecret() {
    byte[] secret = Totp.newSecret();
    assertThat(secret).hasSize(20);
    assertThat(Totp.fromBase32(Totp.base32(secret))).isEqualTo(secret);
    assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
    assertThat(Totp.uri("Silver Lining", "ada@prod", RFC_SECRET))
        .isEqualTo(
            "otpauth://totp/Silver%20Lining:ada%40prod?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                + "&issuer=Silver%20Lining&algorithm=SHA1&digits=6&period=30");
  }
}
