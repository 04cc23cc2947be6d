package org.silverlining.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.silverlining.core.AppArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code silver apply-middleware PACK LOCATION [--set KEY=VALUE]… [--before PACK]}, or {@code
 * --revert N|PREV LOCATION}: a change of a location's middleware, recorded as a revision.
 */
@Command(
    name = "apply-middleware",
    description = {
      "Apply the middleware pack PACK to LOCATION with its settings, or --revert the location's"
          + " middleware to an earlier revision.",
      "Packs see each request in order before the app, its static files or PHP scripts; a pack"
          + " already applied is replaced in its place. The change is recorded as a revision"
          + " (show-middleware --revisions lists them) and takes effect at once, without"
          + " restarting the app. Settings are checked first: a bad one changes nothing.",
      "silver middleware lists the packs and their settings; docs/middleware.md has examples."
    })
final class ApplyMiddlewareCommand implements Callable<Integer> {
  /**
   * Whether {@code key}'s value names a file, which silver reads and sends (htpasswd, page.500).
   */
  static boolean namesFile(String key) {
    return key.equals("htpasswd") || key.startsWith("page.");
  }

  @Parameters(
      arity = "1..2",
      paramLabel = "PACK LOCATION",
      description =
          "The pack's name (password, headers...) and the location; only LOCATION with --revert.")
  List<String> positional;

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "A setting of the pack (repeat for more), e.g. --set user=alice; htpasswd=FILE and"
              + " page.NNN=FILE are read here and sent whole.")
  List<String> sets = List.of();

  @Option(
      names = "--before",
      paramLabel = "PACK",
      description =
          "Put the pack just before PACK, already applied (default: last, or where it is).")
  String before;

  @Option(
      names = "--revert",
      paramLabel = "N|PREV",
      description =
          "Record a revision with exactly the packs and settings of revision N (PREV: the one"
              + " before the newest).")
  String revert;

  @Mixin JsonOption output;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    JsonNode r;
    if (revert != null) {
      if (positional.size() != 1 || !sets.isEmpty() || before != null) {
        throw new UserException(
            "--revert takes LOCATION alone: apply-middleware --revert N LOCATION");
      }
      r =
          node.client()
              .post("middleware/revert", Map.of("location", positional.get(0), "revision", revert));
    } else {
      if (positional.size() != 2) {
        throw new UserException(
            "give PACK and LOCATION, e.g. apply-middleware password www.example.com");
      }
      ApiClient api = node.client();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("location", positional.get(1));
      params.put("pack", packName(api, positional.get(0)));
      if (before != null) {
        params.put("before", before);
      }
      r =
          api.postText(
              "middleware/apply", params, new ObjectMapper().writeValueAsString(settings(sets)));
    }
    if (!output.printed(r)) {
      System.out.println(ShowMiddlewareCommand.summary(r));
    }
    return 0;
  }

  /**
   * The name of {@code pack}: itself, or — for a folder with {@code middleware.ini} — the name of
   * the third-party pack it holds, installed on the node first.
   */
  private static String packName(ApiClient api, String pack) throws IOException {
    Path dir = Path.of(pack);
    if (!pack.contains("/") && !Files.isDirectory(dir)) {
      return pack;
    }
    if (!Files.isRegularFile(dir.resolve("middleware.ini"))) {
      throw new UserException(
          pack
              + " is not a pack folder: it has no middleware.ini ([middleware] name, version, description, runner)");
    }
    Path archive = Files.createTempFile("silver-pack", ".tar.gz");
    try {
      try (OutputStream o = Files.newOutputStream(archive)) {
        AppArchive.pack(dir, o);
      }
      JsonNode installed = api.postFile("middleware/packs", Map.of(), archive);
      System.err.println(
          "Pack "
              + installed.path("name").asText()
              + " "
              + installed.path("version").asText()
              + " copied to the node");
      return installed.path("name").asText();
    } finally {
      Files.deleteIfExists(archive);
    }
  }

  /** {@code KEY=VALUE} pairs as a map, file settings read. */
  static Map<String, String> settings(List<String> sets) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String s : sets) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new UserException("--set takes KEY=VALUE, not '" + s + "'");
      }
      String key = s.substring(0, eq);
      String value = s.substring(eq + 1);
      if (namesFile(key)) {
        try {
          value = Files.readString(Path.of(value), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
          throw new UserException("cannot read the " + key + " file " + value + ": " + e);
        }
      }
      if (out.put(key, value) != null) {
        throw new UserException("--set " + key + " is given twice");
      }
    }
    return out;
  }
}
