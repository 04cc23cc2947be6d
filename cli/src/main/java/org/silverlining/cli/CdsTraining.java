package org.silverlining.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import picocli.CommandLine;

/**
 * What a client command also loads while {@code bin/silver} records the class data sharing archive
 * (system property {@code silver.cds.train}): the classes of every command, not only of the one
 * that happens to run first, so that each later command maps them from the archive instead of
 * reading and verifying them from the jar (a command that calls the node starts in about half the
 * time).
 */
final class CdsTraining {
  static final String PROPERTY = "silver.cds.train";

  /**
   * Where the client's classes are: the commands, the model of app.ini, and the backup format. The
   * node's server side, in the same jar, runs without the archive.
   */
  private static final List<String> CLIENT_PACKAGES =
      List.of("org/silverlining/cli/", "org/silverlining/core/", "org/silverlining/node/backup/");

  private CdsTraining() {}

  static void run() {
    // Every command's model, and the client's classes.
    CommandLine all = new CommandLine(new SilverCommand());
    SilverCommand.SUBCOMMANDS.forEach(all::addSubcommand);
    ClassLoader loader = CdsTraining.class.getClassLoader();
    for (String name : projectClasses()) { // from the jar this runs from
      try {
        Class.forName(name, false, loader);
      } catch (LinkageError | ClassNotFoundException e) {
        // one the client cannot load stays out
      }
    }
    // JSON both ways and the HTTP client up to a refused connection (or a timeout, should anything
    // listen on the discard port), as the API client uses them.
    try {
      ObjectMapper json = new ObjectMapper();
      json.readTree(json.writeValueAsString(Map.of("a", List.of(1, "b", true))));
      HttpURLConnection c =
          (HttpURLConnection) URI.create("http://127.0.0.1:9/api/v1/").toURL().openConnection();
      c.setConnectTimeout(200);
      c.setReadTimeout(200);
      c.getResponseCode();
    } catch (IOException e) {
      // the port is closed: the classes are loaded all the same
    }
  }

  private static List<String> projectClasses() {
    try {
      return clientClasses(
          Path.of(CdsTraining.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return List.of(); // not run from a jar
    }
  }

  /** The names of the client's classes in {@code jar}. */
  static List<String> clientClasses(Path jar) throws IOException {
    try (JarFile j = new JarFile(jar.toFile())) {
      return Collections.list(j.entries()).stream()
          .map(JarEntry::getName)
          .filter(n -> CLIENT_PACKAGES.stream().anyMatch(n::startsWith) && n.endsWith(".class"))
          .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
          .toList();
    }
  }
}
