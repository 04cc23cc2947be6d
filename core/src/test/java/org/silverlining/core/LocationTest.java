package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocationTest {
  @Nested
  class Parsing {
    @Test
    void aBareHostMatchesAnyPortAndEveryPath() {
      assertThat(Location.parse("hello.test")).isEqualTo(new Location("hello.test", 0, "/"));
    }

    @Test
    void aWildcardHostIsKept() {
      Location l = Location.parse("*.example.com");

      assertThat(l).isEqualTo(new Location("*.example.com", 0, "/"));
      assertThat(l.isWildcard()).isTrue();
      assertThat(l.isDefault()).isFalse();
    }

    @Test
    void readsPortAndPathAndDropsTheTrailingSlash() {
      assertThat(Location.parse("host:8080/blog/")).isEqualTo(new Location("host", 8080, "/blog"));
    }

    @Test
    void dropsTheTrailingDotOfAFullyQualifiedHost() {
      assertThat(Location.parse("hello.test.")).isEqualTo(new Location("hello.test", 0, "/"));
      assertThat(Location.parse("hello.test.:8080"))
          .isEqualTo(new Location("hello.test", 8080, "/"));
    }

    @Test
    void lowerCasesTheHostButNotThePath() {
      assertThat(Location.parse("WWW.Example.COM/Blog"))
          .isEqualTo(new Location("www.example.com", 0, "/Blog"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://example.com/blog",
          "https://example.com/blog",
          "HTTP://example.com/blog"
        })
    void dropsAnHttpScheme(String text) {
      assertThat(Location.parse(text)).isEqualTo(new Location("example.com", 0, "/blog"));
    }

    @Test
    void ignoresSurroundingWhitespace() {
      assertThat(Location.parse("  hello.test/a  ")).isEqualTo(new Location("hello.test", 0, "/a"));
    }

    @Test
    void collapsesRepeatedSlashesInThePath() {
      assertThat(Location.parse("host//a///b//")).isEqualTo(new Location("host", 0, "/a/b"));
    }

    @Test
    void aSlashAloneIsTheRootPath() {
      assertThat(Location.parse("host/")).isEqualTo(new Location("host", 0, "/"));
    }

    @Test
    void acceptsTheDefaultHost() {
      Location l = Location.parse("default/admin");

      assertThat(l.isDefault()).isTrue();
      assertThat(l.host()).isEqualTo(Location.DEFAULT_HOST);
    }

    @Test
    void acceptsNumericHostsAndSingleLabels() {
      assertThat(Location.parse("127.0.0.1:9000").host()).isEqualTo("127.0.0.1");
      assertThat(Location.parse("localhost").host()).isEqualTo("localhost");
    }

    @Test
    void acceptsTheWidestPortRange() {
      assertThat(Location.parse("h:1").port()).isEqualTo(1);
      assertThat(Location.parse("h:65535").port()).isEqualTo(65535);
    }

    @Test
    void aColonInThePathIsNotAPort() {
      assertThat(Location.parse("host/a:b")).isEqualTo(new Location("host", 0, "/a:b"));
    }

    @Test
    void acceptsPunctuationThatIsValidInAPathSegment() {
      assertThat(Location.parse("host/~user/a.b_c-d/%20x").path()).isEqualTo("/~user/a.b_c-d/%20x");
    }

    @ParameterizedTest
    @CsvSource({
      "hello.test, hello.test",
      "*.example.com, *.example.com",
      "host:8080/blog/, host:8080/blog",
      "http://Host.Test.:80/a/b/, host.test:80/a/b",
      "default, default"
    })
    void printsTheCanonicalForm(String text, String canonical) {
      assertThat(Location.parse(text)).hasToString(canonical);
    }
  }

  @Nested
  class Rejections {
    private void assertRejected(String text, String why) {
      assertThatThrownBy(() -> Location.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid location '" + text + "': ")
          .hasMessageContaining(why)
          .hasMessageContaining("e.g. www.example.com/blog");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "http://"})
    void rejectsAnEmptyLocation(String text) {
      assertRejected(text, "it is empty");
    }

    @Test
    void rejectsNull() {
      assertThatThrownBy(() -> Location.parse(null))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("it is empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:http", "host:", "host:80x", "host:+80", "host: 80", "host:٨٠"})
    void rejectsAPortThatIsNotANumber(String text) {
      assertRejected(text, "is not a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:0", "host:65536", "host:99999", "host:99999999999"})
    void rejectsAPortOutOfRange(String text) {
      assertRejected(text, "outside 1-65535");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host/../etc", "host/a/../b", "host/..", "host/./a"})
    void rejectsDotSegments(String text) {
      assertRejected(text, "is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"host/a?b=c", "host/a#frag", "host/a b", "host/a\\b", "host/a\"b"})
    void rejectsCharactersThatCannotBeInAPathSegment(String text) {
      assertRejected(text, "is not allowed");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "under_score.com",
          "bad host",
          "exa!mple.com",
          "-leading.com",
          "trailing-.com",
          "a..b",
          ".example.com",
          "*",
          "*.",
          "a.*.com",
          "**.example.com",
          "user@host",
          "[::1]:8080",
          "héllo.test"
        })
    void rejectsHostsWithCharactersOutsideLettersDigitsDashAndDot(String text) {
      assertRejected(text, "is not a host name");
    }

    @ParameterizedTest
    @ValueSource(strings = {":8080", ":8080/blog", "/blog"})
    void rejectsAMissingHost(String text) {
      assertRejected(text, "the host is missing");
    }

    @Test
    void rejectsALabelLongerThan63Characters() {
      assertRejected("a".repeat(64) + ".com", "is not a host name");
      assertThat(Location.parse("a".repeat(63) + ".com").host()).hasSize(67);
    }

    @Test
    void rejectsAHostLongerThan253Characters() {
      String host =
          String.join(
              ".", "a".repeat(60), "b".repeat(60), "c".repeat(60), "d".repeat(60), "e".repeat(10));

      assertRejected(host, "is not a host name");
    }
  }

  @Nested
  class Matching {
    @Test
    void theRootPathCoversEveryPath() {
      Location l = Location.parse("host");

      assertThat(l.coversPath("/")).isTrue();
      assertThat(l.coversPath("/anything/below")).isTrue();
    }

    @Test
    void aPathCoversItselfAndWhatIsBelowIt() {
      Location l = Location.parse("host/blog");

      assertThat(l.coversPath("/blog")).isTrue();
      assertThat(l.coversPath("/blog/")).isTrue();
      assertThat(l.coversPath("/blog/2026/post")).isTrue();
    }

    @Test
    void aPathDoesNotCoverASiblingWithTheSamePrefix() {
      Location l = Location.parse("host/blog");

      assertThat(l.coversPath("/blogs")).isFalse();
      assertThat(l.coversPath("/blog-old")).isFalse();
      assertThat(l.coversPath("/")).isFalse();
      assertThat(l.coversPath("/other/blog")).isFalse();
    }

    @Test
    void pathsAreMatchedWithCase() {
      assertThat(Location.parse("host/Blog").coversPath("/blog")).isFalse();
    }

    @Test
    void aPlainHostCoversOnlyItself() {
      Location l = Location.parse("hello.test");

      assertThat(l.coversHost("hello.test")).isTrue();
      assertThat(l.coversHost("www.hello.test")).isFalse();
      assertThat(l.coversHost("hello.test.example")).isFalse();
    }

    @Test
    void hostsAreMatchedWithoutCaseOrTrailingDot() {
      assertThat(Location.parse("hello.test").coversHost("Hello.TEST")).isTrue();
      assertThat(Location.parse("hello.test").coversHost("hello.test.")).isTrue();
      assertThat(Location.parse("*.example.com").coversHost("WWW.Example.com")).isTrue();
    }

    @Test
    void aWildcardCoversEverySubdomainButNotTheDomainItself() {
      Location l = Location.parse("*.example.com");

      assertThat(l.coversHost("www.example.com")).isTrue();
      assertThat(l.coversHost("a.b.example.com")).isTrue();
      assertThat(l.coversHost("example.com")).isFalse();
      assertThat(l.coversHost(".example.com")).isFalse();
      assertThat(l.coversHost("badexample.com")).isFalse();
      assertThat(l.coversHost("www.example.com.evil")).isFalse();
    }
  }
}
