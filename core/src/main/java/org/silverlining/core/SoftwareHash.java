package org.silverlining.core;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Stream;

/**
 * A fingerprint of the software a program runs: the sha256 of the jar a class was loaded from (or,
 * for classes in a folder, of every file's path and content in it). The node reports its own, taken
 * when it starts; the CLI compares it with its own to tell a node that runs another build.
 */
public final class SoftwareHash {
  private SoftwareHash() {}

  /** The fingerprint of the code {@code c} was loaded from; "unknown" when it cannot be read. */
  public static String of(Class<?> c) {
    try {
      CodeSource source = c.getProtectionDomain().getCodeSource();
      if (source == null) {
        return "unknown";
      }
      Path p = Path.of(source.getLocation().toURI());
      return Files.isDirectory(p) ? ofFolder(p) : Hashing.sha256(p);
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String ofFolder(Path dir) throws IOException {
    Hashing.Digest d = Hashing.sha256();
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path f : files) {
      byte[] name = (dir.relativize(f) + "\n").getBytes(StandardCharsets.UTF_8);
      d.update(name, 0, name.length);
      byte[] content = Files.readAllBytes(f);
      d.update(content, 0, content.length);
    }
    return d.hex();
  }
}
