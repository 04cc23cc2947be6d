package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver versions LOCATION}: the deployment registry of a location, newest first. */
@Command(
    name = "versions",
    description = {
      "List every deployment attempted at LOCATION, newest first: instance, outcome (failed ones with their stage), when, who, configuration revision, version control facts and time taken; rollbacks, activations and deactivations are listed among them.",
      "silver diff compares the files of two of them."
    })
final class VersionsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      defaultValue = "20",
      description = "Show the newest N deployments (default: ${DEFAULT-VALUE}).")
  int limit;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r =
        node.client()
            .get("deployments", Map.of("location", location, "limit", String.valueOf(limit)));
    if (output.printed(r)) {
      return 0;
    }
    System.out.println("Deployments at " + r.path("location").asText() + ", newest first:");
    List<JsonNode> timeline = timeline(r, limit);
    int width = 8;
    for (JsonNode d : timeline) {
      width = Math.max(width, instance(d).length());
    }
    String row = "%-" + width + "s %-23s %-16s %-8s %4s  %-18s %6s%n";
    System.out.printf(
        row, "INSTANCE", "OUTCOME", "STARTED (UTC)", "WHO", "CONF", "VERSION", "TIME");
    for (JsonNode d : timeline) {
      if (d.has("kind")) {
        System.out.printf(
            row,
            instance(d),
            d.path("kind").asText(),
            started(d.path("at").asText()),
            cut(d.path("who").asText(), 8),
            "-",
            "-",
            "-");
        if (!d.path("replaced").asText("").isEmpty()) {
          System.out.println("    replaced " + d.path("replaced").asText());
        }
        continue;
      }
      long millis = 0;
      for (JsonNode ms : d.path("stages")) {
        millis += ms.asLong();
      }
      System.out.printf(
          row,
          instance(d),
          cut(outcome(d), 23),
          started(d.path("started").asText()),
          cut(d.path("who").asText(), 8),
          d.path("config_revision").asInt() == 0 ? "-" : d.path("config_revision").asText(),
          cut(vcs(d.path("vcs")), 18),
          String.format("%.1fs", millis / 1000.0));
      if ("failed".equals(d.path("status").asText()) && !d.path("error").asText().isEmpty()) {
        System.out.println("    " + cut(d.path("error").asText().replace('\n', ' '), 96));
      }
    }
    return 0;
  }

  private static String instance(JsonNode d) {
    JsonNode i = d.path("instance");
    return i.isNull() || i.isMissingNode() ? "-" : i.asText();
  }

  /**
   * The deployments and the switches made by hand (rollback, activate, deactivate) of the node's
   * answer in one list, newest first, at most {@code limit}.
   */
  static List<JsonNode> timeline(JsonNode answer, int limit) {
    List<JsonNode> all = new ArrayList<>();
    answer.path("deployments").forEach(all::add);
    answer.path("switches").forEach(all::add);
    all.sort(
        Comparator.comparing(
                (JsonNode e) -> Instant.parse(e.path(e.has("kind") ? "at" : "started").asText()))
            .reversed());
    return all.subList(0, Math.min(limit, all.size()));
  }

  static String outcome(JsonNode d) {
    String status = d.path("status").asText();
    return switch (status) {
      case "ok" -> d.path("live").asBoolean() ? "ok, live" : "ok";
      case "failed" -> "FAILED at " + d.path("stage").asText();
      case "running" -> "running: " + d.path("stage").asText();
      default -> status;
    };
  }

  /** {@code 2026-11-26T04:05:06.123Z} as {@code 2026-11-26 04:05}. */
  static String started(String iso) {
    return iso.length() >= 16 ? iso.substring(0, 10) + " " + iso.substring(11, 16) : iso;
  }

  /** {@code git 1a2b3c4 main*}: the kind, the short commit, the branch, * when dirty. */
  static String vcs(JsonNode v) {
    if (!v.has("kind")) {
      return "-";
    }
    String commit = v.path("commit").asText();
    return v.path("kind").asText()
        + " "
        + commit.substring(0, Math.min(7, commit.length()))
        + (v.path("branch").asText().isEmpty() ? "" : " " + v.path("branch").asText())
        + (v.path("dirty").asBoolean() ? "*" : "");
  }

  private static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
