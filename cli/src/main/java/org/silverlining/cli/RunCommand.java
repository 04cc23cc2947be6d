package org.silverlining.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.silverlining.core.AppArchive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code silver run LOCATION SCRIPT [ARGS...]}: a script of the deployed app, on its node. */
@Command(
    name = "run",
    description = {
      "Run SCRIPT of the app at LOCATION on its node, in the app's folder and environment",
      "(services, CONFIG_* variables). SCRIPT is a path in the app (or in its bin/); Python",
      "scripts run with the app's sys.path. Every ARG that names an existing local file or",
      "folder is uploaded, and the script gets the path of the uploaded copy instead.",
      "Output is streamed; silver run exits with the script's exit code.",
      "Options for the script itself go after --, e.g. silver run LOC bin/x.py -- --verbose."
    })
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "LOCATION")
  String location;

  @Parameters(
      index = "1..*",
      paramLabel = "SCRIPT ARGS",
      description = "The script and its arguments (with --java: the class's arguments).")
  List<String> rest = new ArrayList<>();

  @Option(
      names = "--instance",
      paramLabel = "INSTANCE",
      description = "Run in this instance of the app instead of the live one.")
  String instance;

  @Option(
      names = "--java",
      paramLabel = "CLASS",
      description = "Run the main class CLASS on a Java app's classpath instead of a script.")
  String javaClass;

  @Mixin NodeOption node;

  @Override
  public Integer call() throws Exception {
    List<String> args = new ArrayList<>(rest);
    String script = null;
    if (javaClass == null) {
      if (args.isEmpty()) {
        throw new UserException("name the script to run: silver run LOCATION SCRIPT [ARGS...]");
      }
      script = args.remove(0);
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("location", location);
    p.put("script", script);
    p.put("java", javaClass);
    p.put("instance", instance);
    p.put("args", new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(args));
    List<Integer> uploads = localFiles(args);
    int[] exit = {-1};
    ApiClient api = node.client();
    if (uploads.isEmpty()) {
      api.postStreaming("run", p, line -> print(line, exit));
    } else {
      StringJoiner indexes = new StringJoiner(",");
      uploads.forEach(i -> indexes.add(Integer.toString(i)));
      p.put("uploads", indexes.toString());
      Path archive = pack(args, uploads);
      try {
        api.postFileStreaming("run", p, archive, line -> print(line, exit));
      } finally {
        Files.deleteIfExists(archive);
      }
    }
    System.out.flush();
    System.err.flush();
    if (exit[0] < 0) {
      throw new UserException("the node did not say how the script ended");
    }
    return exit[0];
  }

  /** The indexes of the arguments that name an existing local file or folder. */
  static List<Integer> localFiles(List<String> args) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.isEmpty() && !a.startsWith("-") && Files.exists(Path.of(a))) {
        out.add(i);
      }
    }
    return out;
  }

  /** A .tar.gz with each uploaded argument's file or folder as {@code INDEX/NAME}. */
  private static Path pack(List<String> args, List<Integer> uploads) throws IOException {
    Path staging = Files.createTempDirectory("silver-run-");
    try {
      for (int i : uploads) {
        Path from = Path.of(args.get(i)).toAbsolutePath().normalize();
        Path name = from.getFileName() == null ? Path.of("root") : from.getFileName();
        copy(from, Files.createDirectories(staging.resolve(Integer.toString(i))).resolve(name));
      }
      Path archive = Files.createTempFile("silver-run-", ".tar.gz");
      try (OutputStream out = Files.newOutputStream(archive)) {
        AppArchive.pack(staging, out);
      }
      return archive;
    } finally {
      try (Stream<Path> all = Files.walk(staging)) {
        for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(f);
        }
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    try (Stream<Path> all = Files.walk(from)) {
      for (Path f : all.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  private static void print(com.fasterxml.jackson.databind.JsonNode line, int[] exit) {
    if (line.has("out")) {
      System.out.print(line.get("out").asText());
      System.out.flush();
    } else if (line.has("err")) {
      System.err.print(line.get("err").asText());
      System.err.flush();
    } else if (line.has("exit")) {
      exit[0] = line.get("exit").asInt();
    }
  }
}
