package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.silverlining.core.Location;

class RouteTableTest {
  /** Each route's app is named after its location, its instances after the app. */
  private static Route route(String location) {
    return route(location, true);
  }

  private static Route route(String location, boolean hasPrevious) {
    String app = "app-" + location;
    return new Route(
        Location.parse(location), app, app + "#active", hasPrevious ? app + "#previous" : null);
  }

  private static final List<Route> ROUTES =
      List.of(
          route("h.test"),
          route("h.test/blog"),
          route("h.test/blog/admin"),
          route("h.test:8443/blog"),
          route("other.test:8443"),
          route("*.test"),
          route("*.a.test"),
          route("*.b.a.test/api"),
          route("default"),
          route("default/static"),
          route("nolast.test", false));

  private static final RouteTable TABLE = new RouteTable(ROUTES);

  /** Routes {@code host} at port 80 and {@code path}; the location that won, or "none". */
  private static String winner(RouteTable table, String host, int port, String path) {
    return table.match(host, port, path).map(m -> m.route().location().toString()).orElse("none");
  }

  @ParameterizedTest(name = "{0}:{1}{2} goes to {3}")
  @CsvSource({
    // exact host, longest path prefix
    "h.test,            80,   /,                h.test",
    "h.test,            80,   /index.html,      h.test",
    "h.test,            80,   /blog,            h.test/blog",
    "h.test,            80,   /blog/,           h.test/blog",
    "h.test,            80,   /blog/post/1,     h.test/blog",
    "h.test,            80,   /blogger,         h.test",
    "h.test,            80,   /blog/admin/x,    h.test/blog/admin",
    "h.test,            80,   /blog/administer, h.test/blog",
    // host matching ignores case, the port in the header and a trailing dot
    "H.Test:8080,       80,   /blog,            h.test/blog",
    "h.test.,           80,   /,                h.test",
    // a location with a port only matches requests to that port; it wins on its port
    "h.test,            8443, /blog/x,          h.test:8443/blog",
    "h.test,            8443, /,                h.test",
    "other.test,        8443, /,                other.test:8443",
    "other.test,        80,   /,                *.test",
    // wildcards: the most specific wins; the bare domain is not covered by its wildcard
    "x.test,            80,   /,                *.test",
    "x.a.test,          80,   /,                *.a.test",
    "y.x.a.test,        80,   /,                *.a.test",
    "z.b.a.test,        80,   /api/v2,          *.b.a.test/api",
    "z.b.a.test,        80,   /web,             *.a.test",
    "a.test,            80,   /,                *.test",
    // the default location catches every host nothing else claims
    "unknown.example,   80,   /,                default",
    "unknown.example,   80,   /static/app.css,  default/static",
    "'',                80,   /,                default",
    "127.0.0.1:8080,    80,   /,                default",
  })
  void aRequestGoesToTheMostSpecificLocation(String host, int port, String path, String want) {
    assertThat(winner(TABLE, host, port, path)).isEqualTo(want);
  }

  @Test
  void withoutADefaultAnUnclaimedHostMatchesNothing() {
    RouteTable table = new RouteTable(List.of(route("h.test/blog")));

    assertThat(table.match("elsewhere.test", 80, "/")).isEmpty();
    assertThat(table.match("h.test", 80, "/")).isEmpty();
    assertThat(table.match(null, 80, "/")).isEmpty();
    assertThat(RouteTable.EMPTY.match("h.test", 80, "/")).isEmpty();
  }

  @Test
  void theMatchCarriesTheActiveInstanceThePrefixAndThePathBelowIt() {
    RouteMatch m = TABLE.match("h.test", 80, "/blog/post/1").orElseThrow();

    assertThat(m.instance()).isEqualTo("app-h.test/blog#active");
    assertThat(m.previous()).isFalse();
    assertThat(m.prefix()).isEqualTo("/blog");
    assertThat(m.remainingPath()).isEqualTo("/post/1");
  }

  @Test
  void thePrefixItselfLeavesTheRootAsTheRemainingPath() {
    RouteMatch m = TABLE.match("h.test", 80, "/blog").orElseThrow();

    assertThat(m.remainingPath()).isEqualTo("/");
    assertThat(TABLE.match("h.test", 80, "/blog/").orElseThrow().remainingPath()).isEqualTo("/");
  }

  @Test
  void atTheRootThePrefixIsEmptyAndThePathIsWhole() {
    RouteMatch m = TABLE.match("h.test", 80, "/a/b").orElseThrow();

    assertThat(m.prefix()).isEmpty();
    assertThat(m.remainingPath()).isEqualTo("/a/b");
  }

  @Test
  void prevDotHostReachesThePreviousInstanceOfThatHost() {
    RouteMatch m = TABLE.match("prev.h.test", 80, "/blog/x").orElseThrow();

    assertThat(m.route().location().toString()).isEqualTo("h.test/blog");
    assertThat(m.previous()).isTrue();
    assertThat(m.instance()).isEqualTo("app-h.test/blog#previous");
    assertThat(m.remainingPath()).isEqualTo("/x");
  }

  @Test
  void prevDotHostWinsOverAWildcardOrTheDefaultThatWouldAlsoCoverIt() {
    RouteTable table = new RouteTable(List.of(route("h.test"), route("default")));

    RouteMatch m = table.match("prev.h.test", 80, "/").orElseThrow();

    assertThat(m.route().location().toString()).isEqualTo("h.test");
    assertThat(m.instance()).isEqualTo("app-h.test#previous");
  }

  @Test
  void aLocationThatClaimsThePrevHostItselfKeepsIt() {
    RouteTable table = new RouteTable(List.of(route("h.test"), route("prev.h.test")));

    RouteMatch m = table.match("prev.h.test", 80, "/").orElseThrow();

    assertThat(m.route().location().toString()).isEqualTo("prev.h.test");
    assertThat(m.previous()).isFalse();
  }

  @Test
  void prevDotHostReachesThePreviousOfTheWildcardOrDefaultThatServesTheHost() {
    assertThat(TABLE.match("prev.x.a.test", 80, "/").orElseThrow())
        .extracting(RouteMatch::instance)
        .isEqualTo("app-*.a.test#previous");
    assertThat(TABLE.match("prev.unknown.example", 80, "/").orElseThrow())
        .extracting(RouteMatch::instance)
        .isEqualTo("app-default#previous");
  }

  @Test
  void prevDotHostWithoutAPreviousInstanceIsAnOrdinaryHost() {
    RouteTable table = new RouteTable(List.of(route("nolast.test", false), route("default")));

    RouteMatch m = table.match("prev.nolast.test", 80, "/").orElseThrow();

    assertThat(m.route().location().toString()).isEqualTo("default");
    assertThat(m.previous()).isFalse();
    assertThat(
            new RouteTable(List.of(route("nolast.test", false))).match("prev.nolast.test", 80, "/"))
        .isEmpty();
  }

  @Test
  void theOrderInWhichRoutesAreGivenDoesNotMatter() {
    String[][] requests = {
      {"h.test", "80", "/blog/admin/x"},
      {"h.test", "8443", "/blog/x"},
      {"q.b.a.test", "80", "/api/x"},
      {"q.b.a.test", "80", "/x"},
      {"nowhere", "80", "/static/x"},
      {"prev.h.test", "80", "/blog"},
    };
    List<String> expected = new ArrayList<>();
    for (String[] r : requests) {
      expected.add(winner(TABLE, r[0], Integer.parseInt(r[1]), r[2]));
    }
    Random random = new Random(42);
    for (int i = 0; i < 50; i++) {
      List<Route> shuffled = new ArrayList<>(ROUTES);
      Collections.shuffle(shuffled, random);
      RouteTable table = new RouteTable(shuffled);
      List<String> got = new ArrayList<>();
      for (String[] r : requests) {
        got.add(winner(table, r[0], Integer.parseInt(r[1]), r[2]));
      }
      assertThat(got).as("routes in order %s", shuffled).isEqualTo(expected);
    }
  }

  @Test
  void normalizingAHostDropsPortCaseAndTrailingDotButKeepsIpv6Brackets() {
    assertThat(RouteTable.normalizeHost("WWW.Example.COM.:8080")).isEqualTo("www.example.com");
    assertThat(RouteTable.normalizeHost("[::1]:8080")).isEqualTo("[::1]");
    assertThat(RouteTable.normalizeHost(null)).isEmpty();
    assertThat(Optional.of(RouteTable.normalizeHost("h.test"))).contains("h.test");
  }
}
