package org.silverlining.node.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlQuotingTest {
  @Test
  void postgresIdentifiersDoubleTheirQuotes() {
    assertThat(SqlQuoting.pgIdentifier("guestbook")).isEqualTo("\"guestbook\"");
    assertThat(SqlQuoting.pgIdentifier("a\"; DROP TABLE x; --"))
        .isEqualTo("\"a\"\"; DROP TABLE x; --\"");
  }

  @Test
  void postgresLiteralsDoubleTheirQuotesAndEscapeBackslashesInAnELiteral() {
    assertThat(SqlQuoting.pgLiteral("it's")).isEqualTo("'it''s'");
    assertThat(SqlQuoting.pgLiteral("a\\'; --")).isEqualTo("E'a\\\\''; --'");
  }

  @Test
  void mysqlIdentifiersDoubleTheirBackticks() {
    assertThat(SqlQuoting.mysqlIdentifier("a`; DROP DATABASE mysql; --"))
        .isEqualTo("`a``; DROP DATABASE mysql; --`");
  }

  @Test
  void mysqlLiteralsDoubleQuotesAndEscapeBackslashes() {
    assertThat(SqlQuoting.mysqlLiteral("x\\'; --")).isEqualTo("'x\\\\''; --'");
  }

  @Test
  void aGrantDatabaseEscapesTheWildcardsOfGrants() {
    assertThat(SqlQuoting.mysqlGrantDatabase("test_a_b%")).isEqualTo("`test\\_a\\_b\\%`");
  }

  @Test
  void controlCharactersAreRefused() {
    assertThatThrownBy(() -> SqlQuoting.pgLiteral("a\u0000b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SqlQuoting.mysqlIdentifier("a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aResourceNameMustBeLowerCaseLettersDigitsAndUnderscoresOfAtMost63() {
    Path dir = Path.of("unused");
    ServiceSecrets secrets = new ServiceSecrets(dir);
    String longest = "a" + "b".repeat(57);
    for (String ok : new String[] {"guestbook", "my-app2", longest}) {
      ServiceScope s =
          new ServiceScope(ok, "x", Map.of(), ServiceMode.TEST, Map.of(), dir, secrets);
      assertThat(SqlQuoting.RESOURCE_NAME.matcher(s.resourceName()).matches()).as(ok).isTrue();
    }
    for (String bad : new String[] {"Guest", "a;b", "a'b", "a`b", "a\"b", "a b", "1a"}) {
      ServiceScope s =
          new ServiceScope(bad, "x", Map.of(), ServiceMode.PRODUCTION, Map.of(), dir, secrets);
      assertThatThrownBy(() -> SqlQuoting.checkedName(s, "x"))
          .as(bad)
          .isInstanceOf(ServiceException.class)
          .hasMessageContaining("not safe");
    }
    ServiceScope tooLong =
        new ServiceScope(longest + "c", "x", Map.of(), ServiceMode.TEST, Map.of(), dir, secrets);
    assertThatThrownBy(() -> SqlQuoting.checkedName(tooLong, "x"))
        .isInstanceOf(ServiceException.class);
  }
}
