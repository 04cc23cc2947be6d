package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of {@link Location#parse} over generated locations and generated junk. */
class LocationPropertiesTest {
  private static final String LABEL_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-";
  private static final String SEGMENT_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~!$&'()*+,;=:@%-";

  @Provide
  Arbitrary<Location> locations() {
    Arbitrary<String> label =
        Arbitraries.strings()
            .withChars(LABEL_CHARS.toCharArray())
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(l -> !l.startsWith("-") && !l.endsWith("-"));
    Arbitrary<String> name = label.list().ofMinSize(1).ofMaxSize(4).map(l -> String.join(".", l));
    Arbitrary<String> host =
        Combinators.combine(Arbitraries.of(true, false), name)
            .as((wildcard, n) -> wildcard ? "*." + n : n);
    Arbitrary<Integer> port =
        Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 65535));
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withChars(SEGMENT_CHARS.toCharArray())
            .ofMinLength(1)
            .ofMaxLength(8)
            .filter(s -> !s.equals(".") && !s.equals(".."));
    Arbitrary<String> path =
        segment.list().ofMaxSize(4).map(s -> s.isEmpty() ? "/" : "/" + String.join("/", s));
    return Combinators.combine(host, port, path).as(Location::new);
  }

  @Property
  void parsingTheTextOfAValidLocationGivesItBack(@ForAll("locations") Location location) {
    assertThat(Location.parse(location.toString())).isEqualTo(location);
  }

  @Property
  void schemeCaseTrailingDotAndTrailingSlashDoNotMatter(@ForAll("locations") Location location) {
    String host = location.host().toUpperCase(Locale.ROOT) + ".";
    String text =
        "https://"
            + host
            + (location.port() == 0 ? "" : ":" + location.port())
            + location.path()
            + "/";

    assertThat(Location.parse(text)).isEqualTo(location);
  }

  @Property
  void aLocationCoversItsOwnPathAndEverythingBelow(@ForAll("locations") Location location) {
    String path = location.path();

    assertThat(location.coversPath(path)).isTrue();
    assertThat(location.coversPath(path.equals("/") ? "/x" : path + "/x")).isTrue();
  }

  @Provide
  Arbitrary<String> junk() {
    List<String> pieces =
        List.of(
            "a", "Z", "0", ".", "-", ":", "/", "*", "..", "8080", "_", " ", "%", "?", "http://",
            "");
    return Arbitraries.of(pieces).list().ofMaxSize(10).map(p -> String.join("", p));
  }

  @Property
  void anyTextEitherFailsClearlyOrGivesALocationThatRoundTrips(@ForAll("junk") String text) {
    Location location;
    try {
      location = Location.parse(text);
    } catch (IllegalArgumentException e) {
      assertThat(e).hasMessageStartingWith("invalid location '");
      return;
    }
    assertThat(Location.parse(location.toString())).isEqualTo(location);
    assertThat(location.host()).isEqualTo(location.host().toLowerCase(Locale.ROOT));
    assertThat(location.path()).startsWith("/");
    assertThat(location.path().equals("/") || !location.path().endsWith("/")).isTrue();
  }

  @Property
  void aPortWithAnyNonDigitIsRejected(
      @ForAll("locations") Location location, @ForAll("nonDigitPort") String port) {
    assertThatThrownBy(() -> Location.parse(location.host() + ":" + port))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Provide
  Arbitrary<String> nonDigitPort() {
    return Arbitraries.strings()
        .ofMinLength(1)
        .ofMaxLength(6)
        .filter(s -> !s.chars().allMatch(c -> c >= '0' && c <= '9'))
        .filter(s -> !s.contains("/") && !s.contains(":"));
  }
}
