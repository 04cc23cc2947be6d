package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helper: the contents of a backup folder, manifest aside, by relative path. */
final class BackupFiles {
  private BackupFiles() {}

  /** Asserts that two backup folders hold the same files with the same bytes, manifest aside. */
  static void assertSameData(Path actual, Path expected) throws IOException {
    SortedMap<String, String> a = dataFiles(actual);
    SortedMap<String, String> e = dataFiles(expected);
    org.assertj.core.api.Assertions.assertThat(a.keySet()).isEqualTo(e.keySet());
    for (String k : e.keySet()) {
      org.assertj.core.api.Assertions.assertThat(a.get(k)).as(k).isEqualTo(e.get(k));
    }
  }

  static SortedMap<String, String> dataFiles(Path dir) throws IOException {
    SortedMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String rel = Manifest.relative(dir, p);
        if (!rel.equals(Manifest.FILE)) {
          out.put(rel, Files.readString(p));
        }
      }
    }
    return out;
  }
}
