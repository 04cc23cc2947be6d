package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CronTable;
import org.silverlining.core.Hashing;
import org.silverlining.core.InvalidConfigException;

/**
 * The client half of {@code silver update}: reads app.ini, packs the app, uploads it with its
 * checksum, and prints the node's progress as it comes.
 */
final class AppUploader {
  /** A finished deployment: the instance and where it answers. */
  record Result(String instance, List<String> urls) {}

  private AppUploader() {}

  static Result update(
      ApiClient api, Path appDir, String location, String name, boolean replace, PrintStream out)
      throws IOException {
    return update(api, appDir, location, name, replace, null, out);
  }

  /**
   * An app packed for upload: its name, the location it goes to, the archive, and the parameters of
   * the {@code deploy} call. Closing it deletes the archive.
   */
  record Packed(String app, String where, Path archive, Map<String, String> params)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      Files.deleteIfExists(archive);
    }
  }

  /**
   * Reads app.ini in {@code appDir}, checks the location (given, or its default_location) and packs
   * the app, printing "Updating APP at LOCATION {@code onWhat}" and the package stage; nothing is
   * sent yet.
   */
  static Packed pack(
      Path appDir, String location, String name, boolean replace, String onWhat, PrintStream out)
      throws IOException {
    AppConfig config;
    try {
      config = AppConfig.load(appDir, false);
      CronTable.load(appDir.resolve(AppConfig.FILE_NAME)); // before any upload
    } catch (InvalidConfigException e) {
      throw new UserException(e.getMessage());
    }
    String app = name != null ? name : config.appName();
    String where = location != null ? location : config.defaultLocation();
    if (where == null || where.isEmpty()) {
      throw new UserException(
          "no location given and "
              + appDir.resolve("app.ini")
              + " has no default_location;"
              + " say where: silver update "
              + appDir
              + " www.example.com");
    }
    try {
      org.silverlining.core.Location.parse(where);
    } catch (IllegalArgumentException e) {
      throw new UserException(e.getMessage());
    }
    config.warnings().forEach(w -> out.println("Warning: " + w));
    out.println("Updating " + app + " at " + where + " " + onWhat);
    Path archive = Files.createTempFile("silver-upload", ".tar.gz");
    try {
      long p0 = System.nanoTime();
      List<AppArchive.FileEntry> files;
      try (OutputStream o = Files.newOutputStream(archive)) {
        files = AppArchive.pack(appDir, o);
      }
      String sha = Hashing.sha256(archive);
      stage(
          out,
          "package",
          files.size() + " files, " + Files.size(archive) / 1024 + " KiB",
          millisSince(p0));
      Map<String, String> params = new LinkedHashMap<>();
      params.put("app", app);
      params.put("location", where);
      params.put("sha256", sha);
      Map<String, Object> vcs = VcsFacts.of(appDir);
      if (!vcs.isEmpty()) {
        params.put(
            "vcs", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(vcs));
      }
      if (replace) {
        params.put("replace", "true");
      }
      return new Packed(app, where, archive, params);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(archive);
      throw e;
    }
  }

  /** Deploys {@code appDir}; with {@code configDir}, uploads it as a new configuration revision. */
  static Result update(
      ApiClient api,
      Path appDir,
      String location,
      String name,
      boolean replace,
      Path configDir,
      PrintStream out)
      throws IOException {
    long t0 = System.nanoTime();
    try (Packed packed =
        pack(appDir, location, name, replace, "on node " + api.node().name(), out)) {
      Map<String, String> params = new LinkedHashMap<>(packed.params());
      if (configDir != null) {
        long c0 = System.nanoTime();
        params.put("config", ConfigTransfer.stage(api, configDir));
        stage(out, "config upload", configDir.toString(), millisSince(c0));
      }
      JsonNode[] last = new JsonNode[1];
      try (StageLines lines = progress(out, last)) {
        api.postFileStreaming("deploy", params, packed.archive(), lines);
      }
      JsonNode result = last[0];
      if (result == null) {
        throw new UserException(
            "the node closed the connection before the deployment ended; see silver query");
      }
      if (!"ok".equals(result.get("result").asText())) {
        throw new UserException(failedUpdate(result, packed.where()));
      }
      List<String> urls = new java.util.ArrayList<>();
      result.path("urls").forEach(u -> urls.add(u.asText()));
      String instance = result.get("instance").asText();
      out.printf(
          "Live: %s at %s (%.1f s)%n", instance, String.join(" ", urls), millisSince(t0) / 1000.0);
      return new Result(instance, urls);
    }
  }

  /** What a failed deployment's result line tells the user: stage, error, output, what is live. */
  static String failedUpdate(JsonNode result, String where) {
    StringBuilder msg = new StringBuilder();
    msg.append("update failed at ")
        .append(result.path("stage").asText())
        .append(": ")
        .append(result.path("error").asText());
    JsonNode log = result.path("log");
    if (log.size() > 0) {
      msg.append("\n").append(tailTitle(result.path("stage").asText())).append(":");
      log.forEach(l -> msg.append("\n  ").append(l.asText()));
    }
    JsonNode problems = result.path("undo_problems");
    if (problems.size() > 0) {
      msg.append("\nWhat was live before is still live, but NOT everything could be undone:");
      problems.forEach(p -> msg.append("\n  ").append(p.asText()));
      msg.append("\n");
    } else {
      msg.append("\nNothing changed: what was live before is still live");
      msg.append(afterCheckpoint(result.path("stage").asText()) ? ", with its data.\n" : ".\n");
    }
    msg.append("See silver versions ").append(where).append(" for every deployment here.");
    return msg.toString();
  }

  /**
   * Prints the node's progress lines; keeps the result line in {@code last[0]}. On a terminal, a
   * stage that has started and not yet ended shows with its seconds so far. Close it when the
   * answer ends.
   */
  static StageLines progress(PrintStream out, JsonNode[] last) {
    return new StageLines(out, last);
  }

  /** The node's progress lines as {@link #progress} prints them. */
  static final class StageLines implements java.util.function.Consumer<JsonNode>, AutoCloseable {
    private final PrintStream out;
    private final JsonNode[] last;
    private StatusLine running;

    private StageLines(PrintStream out, JsonNode[] last) {
      this.out = out;
      this.last = last;
    }

    @Override
    public void accept(JsonNode line) {
      close();
      if (line.has("note")) {
        out.println("Warning: " + line.get("note").asText());
      } else if (line.has("stage") && "started".equals(line.path("status").asText())) {
        String stage = line.get("stage").asText();
        running = StatusLine.start(out, millis -> running(stage, millis));
      } else if (line.has("stage") && "done".equals(line.path("status").asText())) {
        stage(
            out,
            line.get("stage").asText(),
            line.path("detail").asText(),
            line.path("ms").asLong());
      } else if (line.has("result")) {
        last[0] = line;
      }
    }

    /** Stops showing the stage that runs, if one does. */
    @Override
    public void close() {
      if (running != null) {
        running.close();
        running = null;
      }
    }
  }

  /**
   * How a stage that runs shows, {@code millis} after it started: as its line will, but the time.
   */
  static String running(String stage, long millis) {
    return String.format("%-13s %-50s %6d s", stage, "…", millis / 1000);
  }

  /** The failure message of a result line that is not ok; null when it is ok. */
  static String failure(JsonNode result, String what) {
    if (result == null) {
      return "the node closed the connection before the " + what + " ended; see silver query";
    }
    if ("ok".equals(result.path("result").asText())) {
      return null;
    }
    StringBuilder msg = new StringBuilder();
    msg.append(what)
        .append(" failed at ")
        .append(result.path("stage").asText())
        .append(": ")
        .append(result.path("error").asText());
    JsonNode log = result.path("log");
    if (log.size() > 0) {
      msg.append("\n").append(tailTitle(result.path("stage").asText())).append(":");
      log.forEach(l -> msg.append("\n  ").append(l.asText()));
    }
    msg.append("\nNothing changed: what was live before is still live.");
    return msg.toString();
  }

  /** What the lines shown with a failure of {@code stage} are. */
  static String tailTitle(String stage) {
    if (stage.endsWith("_fetch")) {
      return "The end of its answer";
    }
    return stage.equals("test_command")
        ? "The end of its output"
        : "Last lines of the app's output";
  }

  /** Stages after the checkpoint: their failure restored the app's data. */
  static boolean afterCheckpoint(String stage) {
    return List.of("start", "update_fetch", "migrate_fetch", "test_fetch", "test_command", "switch")
        .contains(stage);
  }

  private static long millisSince(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void stage(PrintStream out, String stage, String detail, long millis) {
    out.printf("  %-13s %-50s %6d ms%n", stage, truncate(detail, 50), millis);
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
