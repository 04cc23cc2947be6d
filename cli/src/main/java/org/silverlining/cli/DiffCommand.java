package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.FileDiff;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code silver diff APP_DIR LOCATION} and {@code silver diff LOCATION A B}. */
@Command(
    name = "diff",
    customSynopsis = {
      "silver diff [--node=NAME] APP_DIR LOCATION",
      "       silver diff [--node=NAME] LOCATION A B"
    },
    description = {
      "silver diff APP_DIR LOCATION: which files of APP_DIR (as silver update would upload them) differ from those live at LOCATION.",
      "silver diff LOCATION A B: which files differ between deployments A and B (instance names, see silver versions).",
      "Lists added, removed and changed files (by sha256); exits 0 when there is no difference, 1 when there is."
    })
final class DiffCommand implements Callable<Integer> {
  @Parameters(
      arity = "2..3",
      paramLabel = "ARG",
      description = "APP_DIR LOCATION, or LOCATION A B.")
  List<String> args;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    ApiClient api = node.client();
    Map<String, FileDiff.Facts> from;
    Map<String, FileDiff.Facts> to;
    String fromName;
    String toName;
    if (args.size() == 2) {
      Path appDir = Path.of(args.get(0));
      if (!AppConfig.exists(appDir)) {
        throw new UserException(
            appDir
                + " is not an app folder (no app.ini); use silver diff APP_DIR LOCATION or"
                + " silver diff LOCATION A B");
      }
      JsonNode m = api.get("manifest", Map.of("location", args.get(1)));
      from = facts(m);
      fromName = m.path("instance").asText() + " (live)";
      to = local(appDir);
      toName = appDir.toString();
    } else {
      JsonNode a = api.get("manifest", Map.of("location", args.get(0), "instance", args.get(1)));
      JsonNode b = api.get("manifest", Map.of("location", args.get(0), "instance", args.get(2)));
      from = facts(a);
      to = facts(b);
      fromName = args.get(1);
      toName = args.get(2);
    }
    List<String> lines = compare(from, to);
    System.out.println("--- " + fromName);
    System.out.println("+++ " + toName);
    lines.forEach(System.out::println);
    System.out.println(lines.isEmpty() ? "No difference." : lines.size() + " file(s) differ.");
    return lines.isEmpty() ? 0 : 1;
  }

  /** The differences from {@code a} to {@code b}, one line per file, by path. */
  static List<String> compare(Map<String, FileDiff.Facts> a, Map<String, FileDiff.Facts> b) {
    return FileDiff.between(a, b).stream().map(FileDiff.Change::line).toList();
  }

  private static Map<String, FileDiff.Facts> facts(JsonNode manifest) {
    Map<String, FileDiff.Facts> out = new TreeMap<>();
    for (JsonNode f : manifest.path("files")) {
      out.put(
          f.path("path").asText(),
          new FileDiff.Facts(f.path("size").asLong(), f.path("sha256").asText()));
    }
    return out;
  }

  /** The files silver update would upload from {@code appDir}. */
  private static Map<String, FileDiff.Facts> local(Path appDir) throws java.io.IOException {
    Map<String, FileDiff.Facts> out = new TreeMap<>();
    if (!Files.isDirectory(appDir)) {
      throw new UserException(appDir + " is not a folder");
    }
    for (AppArchive.FileEntry f : AppArchive.pack(appDir, OutputStream.nullOutputStream())) {
      out.put(f.path(), new FileDiff.Facts(f.size(), f.sha256()));
    }
    return out;
  }
}
