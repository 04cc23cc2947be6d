package org.silverlining.node.middleware;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.silverlining.core.IniFile;
import org.silverlining.node.errors.InvalidRequestException;

/**
 * A third-party pack's {@code middleware.ini}: {@code [middleware]} name, version, description,
 * runner.
 */
record PackManifest(String name, String version, String description, String runner) {
  static final String FILE = "middleware.ini";
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,39}");
  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,39}");

  /** Reads {@code dir/middleware.ini}; refused, naming the file and key, when it is not valid. */
  static PackManifest read(Path dir) throws IOException {
    Path file = dir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new InvalidRequestException("a pack folder holds " + FILE + "; this one has none");
    }
    IniFile ini = IniFile.read(file);
    if (!ini.hasSection("middleware")) {
      throw new InvalidRequestException(FILE + " has no [middleware] section");
    }
    Map<String, IniFile.Entry> s = ini.section("middleware");
    String name = value(s, "name");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequestException(
          FILE
              + ": name is lower-case letters, digits and -, starting with a letter, not '"
              + name
              + "'");
    }
    String version = value(s, "version");
    if (!VERSION.matcher(version).matches()) {
      throw new InvalidRequestException(
          FILE + ": version '" + version + "' is not a version (1, 1.2.0)");
    }
    return new PackManifest(
        name,
        version,
        s.containsKey("description") ? s.get("description").value() : "",
        value(s, "runner"));
  }

  private static String value(Map<String, IniFile.Entry> section, String key) {
    IniFile.Entry e = section.get(key);
    if (e == null || e.value().isBlank()) {
      throw new InvalidRequestException(FILE + ": [middleware] needs " + key);
    }
    return e.value().strip();
  }
}
