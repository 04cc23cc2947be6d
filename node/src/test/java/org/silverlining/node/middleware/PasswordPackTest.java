package org.silverlining.node.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.silverlining.node.errors.InvalidParameterException;

class PasswordPackTest {
  private final PasswordPack pack = new PasswordPack();

  private static TestRequest as(String credentials) {
    return TestRequest.get("/")
        .with(
            "Authorization",
            "Basic "
                + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void thePasswordIsStoredAsABcryptHashOnly() {
    Map<String, String> stored = pack.prepare(Map.of("user", "alice", "password", "s3cret"));
    assertThat(stored.get("password")).startsWith("$2y$10$").doesNotContain("s3cret");
    assertThat(stored.toString()).doesNotContain("s3cret");
  }

  @Test
  void theRightPasswordPassesAndAWrongOneIsRefusedAndNamesTheUser() {
    Middleware m =
        pack.build(pack.prepare(Map.of("user", "alice", "password", "s3cret", "realm", "team")));
    assertThat(m.decide(as("alice:s3cret"))).isSameAs(Decision.PASS);
    assertThat(m.decide(as("alice:s3cret"))).as("remembered").isSameAs(Decision.PASS);
    Decision.Answer wrong = (Decision.Answer) m.decide(as("alice:wrong"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.event())
        .isEqualTo(new Refusal(Refusal.Kind.BAD_LOGIN, "password pack: wrong password", "alice"));
    assertThat(wrong.headers())
        .contains(new Header("WWW-Authenticate", "Basic realm=\"team\", charset=\"UTF-8\""));
    assertThat(((Decision.Answer) m.decide(as("mallory:s3cret"))).event().user())
        .isEqualTo("mallory");
    Decision.Answer none = (Decision.Answer) m.decide(TestRequest.get("/"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.event()).as("no credentials is no attack").isNull();
  }

  @Test
  void onlyCredentialsNotVerifiedBeforeMayWaitOnAHash() {
    Middleware m = pack.build(pack.prepare(Map.of("user", "alice", "password", "s3cret")));
    assertThat(m.mayWait(TestRequest.get("/"))).as("no credentials: a challenge").isFalse();
    assertThat(m.mayWait(as("alice:s3cret"))).as("not verified yet").isTrue();
    m.decide(as("alice:s3cret"));
    assertThat(m.mayWait(as("alice:s3cret"))).as("verified before").isFalse();
    m.decide(as("alice:wrong"));
    assertThat(m.mayWait(as("alice:wrong"))).as("a wrong password is never remembered").isTrue();
  }

  @Test
  void anHtpasswdFileOfApacheBcryptEntriesIsChecked() {
    // Made with Apache's htpasswd -nbB -C 10 bob 'open sesame'.
    String file = "# the team\nbob:$2y$10$ugmsHexakcMAHDzHkz9RPec40lVI.aLNnyrmJN7.4AH5UfzVapp56\n";
    Middleware m = pack.build(pack.prepare(Map.of("htpasswd", file)));
    assertThat(m.decide(as("bob:open sesame"))).isSameAs(Decision.PASS);
    assertThat(m.decide(as("bob:open"))).isInstanceOf(Decision.Answer.class);
  }

  @Test
  void badSettingsAreRefusedNamingTheSetting() {
    assertThatThrownBy(() -> pack.prepare(Map.of("user", "alice", "pasword", "x")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("unknown setting 'pasword'");
    assertThatThrownBy(() -> pack.prepare(Map.of("user", "alice")))
        .hasMessageContaining("give the password for alice");
    assertThatThrownBy(
            () -> pack.prepare(Map.of("htpasswd", "dave:$apr1$Pf6OiqLK$/wCcm2b0PzYQAke4SjX9c/")))
        .hasMessageContaining("htpasswd line 1 (dave) is not a bcrypt hash");
    assertThatThrownBy(() -> pack.prepare(Map.of("htpasswd", "x", "user", "a", "password", "b")))
        .hasMessageContaining("not both");
    assertThatThrownBy(() -> pack.prepare(Map.of("user", "a", "password", "b", "realm", "a\"b")))
        .hasMessageContaining("realm");
  }
}
