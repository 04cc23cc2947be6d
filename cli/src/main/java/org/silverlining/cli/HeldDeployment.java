package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * One app server's deployment in a {@link NodesetUpdate}, sent as held: its answer is read on a
 * thread of its own, its stages printed with the server's name, until it says it is held or ends.
 */
final class HeldDeployment {
  private final ApiClient api;
  private final AppUploader.Packed packed;
  private final Path configDir;
  private final boolean skipFetches;
  private final PrintStream out;
  private final CompletableFuture<Long> held = new CompletableFuture<>();
  private final CompletableFuture<JsonNode> result = new CompletableFuture<>();

  HeldDeployment(
      ApiClient api,
      AppUploader.Packed packed,
      Path configDir,
      boolean skipFetches,
      PrintStream out) {
    this.api = api;
    this.packed = packed;
    this.configDir = configDir;
    this.skipFetches = skipFetches;
    this.out = out;
  }

  String server() {
    return api.node().name();
  }

  String where() {
    return packed.where() + " on " + server();
  }

  void start() {
    Thread t = new Thread(this::run, "update " + server());
    t.setDaemon(true);
    t.start();
  }

  private void run() {
    try {
      Map<String, String> params = new LinkedHashMap<>(packed.params());
      params.put("hold", "true");
      if (skipFetches) {
        params.put("skip_fetches", "true");
      }
      if (configDir != null) {
        params.put("config", ConfigTransfer.stage(api, configDir));
      }
      api.postFileStreaming("deploy", params, packed.archive(), this::line);
      result.complete(
          failed(
              "request",
              "the node closed the connection before the deployment ended; see"
                  + " silver versions"));
    } catch (RuntimeException | IOException e) {
      result.complete(failed("request", e.getMessage()));
    }
    held.complete(null);
  }

  private static JsonNode failed(String stage, String error) {
    return new com.fasterxml.jackson.databind.ObjectMapper()
        .createObjectNode()
        .put("result", "failed")
        .put("stage", stage)
        .put("error", error);
  }

  private void line(JsonNode line) {
    if (line.has("held")) {
      held.complete(line.get("held").asLong());
    } else if (line.has("note")) {
      synchronized (out) {
        out.println("Warning: " + server() + ": " + line.get("note").asText());
      }
    } else if (line.has("stage") && "done".equals(line.path("status").asText())) {
      synchronized (out) {
        out.printf(
            "  %-10s %-13s %-40s %6d ms%n",
            truncate(server(), 10),
            line.get("stage").asText(),
            truncate(line.path("detail").asText(), 40),
            line.path("ms").asLong());
      }
    } else if (line.has("result")) {
      result.complete(line);
      held.complete(null);
    }
  }

  /** Waits until the deployment is held (true) or has ended, failed (false). */
  boolean awaitHeld() {
    return join(held) != null;
  }

  /** Lets the held deployment switch. */
  void go() {
    decide("deploy/go");
  }

  /** Makes the held deployment undo itself, and waits until it has. */
  void abandon() {
    if (held.getNow(null) == null) {
      return;
    }
    decide("deploy/abandon");
    join(result);
  }

  private void decide(String call) {
    try {
      api.post(call, Map.of("deployment", String.valueOf(held.getNow(null))));
    } catch (RuntimeException | IOException e) {
      result.complete(failed("hold", "cannot tell the node to go on: " + e.getMessage()));
    }
  }

  /** Whether the deployment ended live; waits for its end. */
  boolean succeeded() {
    return "ok".equals(join(result).path("result").asText());
  }

  JsonNode result() {
    return join(result);
  }

  private static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserException("interrupted");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }
}
