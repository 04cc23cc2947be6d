package org.silverlining.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.silverlining.core.IniFile;

/**
 * An app's {@code config.template}: a folder whose files become a new configuration folder, with
 * each {@code {{name}}} in a text file replaced by the value of variable {@code name}. The
 * variables are listed in the template's {@code template.ini}, section {@code [variables]}, as
 * {@code name = default} (an empty default: a value must be given). {@code template.ini} itself is
 * not copied.
 */
final class ConfigTemplate {
  static final String VARIABLES_FILE = "template.ini";
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

  private final Path dir;
  private final Map<String, String> defaults;

  private ConfigTemplate(Path dir, Map<String, String> defaults) {
    this.dir = dir;
    this.defaults = defaults;
  }

  static ConfigTemplate load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new UserException("the config.template folder " + dir + " does not exist");
    }
    Map<String, String> defaults = new LinkedHashMap<>();
    Path ini = dir.resolve(VARIABLES_FILE);
    if (Files.isRegularFile(ini)) {
      IniFile.read(ini)
          .section("variables")
          .values()
          .forEach(e -> defaults.put(e.key(), e.value()));
    }
    return new ConfigTemplate(dir, defaults);
  }

  /** The variables, in file order, with their defaults ("" when none). */
  Map<String, String> variables() {
    return defaults;
  }

  /** Writes the configuration for {@code values} into {@code target} (new or empty). */
  List<Path> write(Path target, Map<String, String> values) throws IOException {
    List<String> missing =
        defaults.keySet().stream()
            .filter(k -> values.getOrDefault(k, defaults.get(k)).isEmpty())
            .toList();
    if (!missing.isEmpty()) {
      throw new UserException(
          "no value for "
              + String.join(", ", missing)
              + "; give --var NAME=VALUE for each (or run in a terminal to be asked)");
    }
    Map<String, String> all = new LinkedHashMap<>(defaults);
    all.putAll(values);
    List<Path> written = new java.util.ArrayList<>();
    List<Path> files;
    try (var s = Files.walk(dir)) {
      files = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
    }
    for (Path f : files) {
      Path rel = dir.relativize(f);
      if (rel.toString().equals(VARIABLES_FILE)) {
        continue;
      }
      Path out = target.resolve(rel.toString());
      Files.createDirectories(out.getParent());
      byte[] bytes = Files.readAllBytes(f);
      String text = decode(bytes);
      if (text == null) {
        Files.write(out, bytes);
      } else {
        Files.writeString(out, substitute(text, all), StandardCharsets.UTF_8);
      }
      written.add(out);
    }
    return written;
  }

  /** {@code text} with each {{name}} of a known variable replaced; others are left as they are. */
  static String substitute(String text, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null; // binary: copied as it is
    }
  }
}
