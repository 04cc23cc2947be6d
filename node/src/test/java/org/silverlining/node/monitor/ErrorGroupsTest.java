package org.silverlining.node.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.logs.LogLimits;
import org.silverlining.node.logs.StreamLogs;

class ErrorGroupsTest {
  @TempDir Path dir;

  private static ErrorReport zero(String message) {
    return new ErrorReport("python", "ZeroDivisionError", message, List.of("app.py in f"), "tb");
  }

  @Test
  void reportsOfOneSignatureAreOneGroupPerDeploymentAndSurviveARestart() throws Exception {
    List<String> mailed = new ArrayList<>();
    try (History h = new History(dir.resolve("monitor.db"))) {
      ErrorGroups g =
          new ErrorGroups(h, Clock.systemUTC(), (app, instance, r) -> mailed.add(r.type()));
      for (int i = 0; i < 3; i++) {
        g.report("a", "a.20261207_001", zero("try " + i));
      }
      g.report("a", "a.20261207_002", zero("after the update"));
      g.serverError("a", "a.20261207_001", 502, "GET", "/x", null);
      g.save();
    }

    try (History h = new History(dir.resolve("monitor.db"))) {
      ErrorGroups g = new ErrorGroups(h, Clock.systemUTC(), (app, instance, r) -> {});
      List<Map<String, Object>> first = g.of("a.20261207_001");

      assertThat(first)
          .extracting(m -> m.get("type"))
          .containsExactly("ZeroDivisionError", "HTTP 502");
      assertThat(first.get(0).get("count")).isEqualTo(3L);
      assertThat(first.get(0).get("message")).isEqualTo("try 0");
      assertThat(g.of("a.20261207_002").get(0).get("count")).isEqualTo(1L);
    }
    // One e-mail per app and minute: the first new group only.
    assertThat(mailed).containsExactly("ZeroDivisionError");
  }

  @Test
  void eachNewGroupIsALineOfTheAppsErrorsLogEvenWhenItsMailWaits() throws Exception {
    StreamLogs logs =
        new StreamLogs(new NodeLayout(dir.resolve("root")), new LogLimits(1024 * 1024, 2));
    try (History h = new History(dir.resolve("monitor.db"))) {
      ErrorGroups g =
          new ErrorGroups(
              h,
              Clock.systemUTC(),
              (app, instance, r) -> {},
              (app, instance, r) ->
                  logs.write(app, StreamLogs.ERRORS, Monitor.errorLine(instance, r)));
      g.report("a", "a.20261207_001", zero("first"));
      g.report("a", "a.20261207_001", zero("same group"));
      g.serverError("a", "a.20261207_001", 502, "GET", "/x", null);
    }

    List<String> lines = Files.readAllLines(logs.file("a", StreamLogs.ERRORS));
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).matches("\\S+ a\\.20261207_001 new python ZeroDivisionError: first");
    assertThat(lines.get(1)).contains(" a.20261207_001 new ").contains("HTTP 502");
  }
}
