package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.node.layout.Trees;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver config LOCATION PATH | --revert N|PREV | --delete | --copy=SOURCE}: records a new
 * configuration revision and applies it with a zero-downtime restart of the live instance.
 */
@Command(
    name = "config",
    description = {
      "Change the configuration of the app at LOCATION: upload PATH, --revert to an earlier revision, --delete it, or --copy another location's.",
      "The change is recorded as a new revision and applied by starting the live code again beside the live instance, checking it, and switching over; no request fails, and on any failure the live instance stays live."
    })
final class ConfigCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PATH",
      description = "A folder to record as the new configuration.")
  Path path;

  @Option(
      names = "--revert",
      paramLabel = "N|PREV",
      description =
          "Record a revision with exactly the files of revision N (PREV: the one before).")
  String revert;

  @Option(names = "--delete", description = "Record a revision with no configuration.")
  boolean delete;

  @Option(
      names = "--copy",
      paramLabel = "SOURCE_LOCATION",
      description = "Record the current configuration of SOURCE_LOCATION (see --copy-node).")
  String copy;

  @Option(
      names = "--copy-node",
      paramLabel = "NAME",
      description = "The node SOURCE_LOCATION is on (default: the same node).")
  String copyNode;

  @Option(
      names = {"-m", "--message"},
      description = "Why: recorded with the revision.")
  String message;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    int given = (path != null ? 1 : 0) + (revert != null ? 1 : 0) + (delete ? 1 : 0);
    given += copy != null ? 1 : 0;
    if (given != 1) {
      throw new UserException("give one of PATH, --revert, --delete and --copy");
    }
    ApiClient api = node.client();
    Map<String, String> params = new LinkedHashMap<>();
    params.put("location", location);
    params.put("message", message);
    Path copied = null;
    try {
      if (copy != null) {
        NodeOption source = new NodeOption();
        source.name = copyNode != null ? copyNode : node.name;
        copied = Files.createTempDirectory("silver-config-copy").resolve("tree");
        ConfigTransfer.dump(source.client(), copy, null, copied);
        path = copied;
        if (message == null) {
          params.put("message", "Copy the configuration of " + copy);
        }
      }
      if (path != null) {
        params.put("config", ConfigTransfer.stage(api, path));
      } else if (revert != null) {
        params.put("revert", revert);
      } else {
        params.put("delete", "true");
      }
      System.out.println("Changing the configuration at " + location + " on " + api.node().name());
      JsonNode[] last = new JsonNode[1];
      try (AppUploader.StageLines lines = AppUploader.progress(System.out, last)) {
        api.postStreaming("config/apply", params, lines);
      }
      String failed = AppUploader.failure(last[0], "the configuration change");
      if (failed != null) {
        throw new UserException(failed);
      }
      System.out.println(
          "Live: " + last[0].path("instance").asText() + " with the new configuration");
      return 0;
    } finally {
      if (copied != null) {
        Trees.delete(copied.getParent());
      }
    }
  }
}
