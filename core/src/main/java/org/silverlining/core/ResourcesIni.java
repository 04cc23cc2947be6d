package org.silverlining.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An app's {@code resources.ini}: named resources with production and development URLs.
 *
 * <ul>
 *   <li>a section with {@code production} (and optionally {@code devel}) names a resource after the
 *       section: a URL the app uses in production, another in development;
 *   <li>{@code NAME file = static/PATH} names one file of {@code static/};
 *   <li>{@code NAME directory = static/PATH} names a folder of {@code static/};
 *   <li>{@code NAME combine = A B ...} names the files A, B... joined in that order and minified
 *       (all {@code .js} or all {@code .css}).
 * </ul>
 *
 * Every mistake (an unknown member, a missing file, a path outside {@code static/}) is an {@link
 * InvalidConfigException} naming the file and line.
 */
public final class ResourcesIni {
  public static final String FILE_NAME = "resources.ini";

  /** Keys as written (file names keep their case), inline comments as in app.ini. */
  private static final IniFile.Syntax SYNTAX = new IniFile.Syntax(false, false, true);

  private static final String STATIC_PREFIX = "static/";

  /** What a name stands for. */
  public enum Kind {
    FILE,
    DIRECTORY,
    COMBINE,
    EXTERNAL
  }

  /**
   * One named resource.
   *
   * @param path for a file or folder, its path below {@code static/} starting with {@code /}
   * @param members for a combination, the names of its files in order
   * @param production for an external resource, its production URL
   * @param devel for an external resource, its development URL (the production one if not given)
   * @param line where it was defined
   */
  public record Resource(
      String name,
      Kind kind,
      String path,
      List<String> members,
      String production,
      String devel,
      int line) {

    /** {@code .js} or {@code .css}: the type of a combination's files. */
    public String extension() {
      int dot = path.lastIndexOf('.');
      return dot < 0 ? "" : path.substring(dot).toLowerCase(Locale.ROOT);
    }
  }

  private ResourcesIni() {}

  /** The resources of {@code appDir}'s {@code resources.ini}; empty when it has none. */
  public static List<Resource> read(Path appDir) throws IOException {
    Path file = appDir.resolve(FILE_NAME);
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    // Named as the app's developer knows it, not by the node's copy of it.
    return parse(FILE_NAME, Files.readString(file), appDir);
  }

  /** Parses {@code text} as the {@code resources.ini} of {@code appDir}, naming {@code source}. */
  public static List<Resource> parse(String source, String text, Path appDir) {
    return parse(IniFile.parse(source, text, SYNTAX), appDir);
  }

  private static List<Resource> parse(IniFile ini, Path appDir) {
    Map<String, Resource> byName = new LinkedHashMap<>();
    for (String section : ini.sectionNames()) {
      Map<String, IniFile.Entry> entries = ini.section(section);
      IniFile.Entry production = entries.get("production");
      IniFile.Entry devel = entries.get("devel");
      if (devel != null && production == null) {
        throw new InvalidConfigException(
            ini.source(), devel.line(), "[" + section + "] has devel but no production URL");
      }
      if (production != null) {
        String dev = devel == null ? production.value() : devel.value();
        add(
            ini,
            byName,
            new Resource(
                section,
                Kind.EXTERNAL,
                null,
                List.of(),
                production.value(),
                dev,
                production.line()));
      }
      for (IniFile.Entry e : entries.values()) {
        if (e != production && e != devel) {
          add(ini, byName, member(ini, e, appDir));
        }
      }
    }
    checkCombinations(ini, byName);
    return List.copyOf(byName.values());
  }

  private static void add(IniFile ini, Map<String, Resource> byName, Resource r) {
    Resource earlier = byName.putIfAbsent(r.name(), r);
    if (earlier != null) {
      throw new InvalidConfigException(
          ini.source(),
          r.line(),
          "the name " + r.name() + " is defined twice (first at line " + earlier.line() + ")");
    }
  }

  private static Resource member(IniFile ini, IniFile.Entry e, Path appDir) {
    String[] words = e.key().split("\\s+");
    Kind kind = words.length == 2 ? kindOf(words[1]) : null;
    if (kind == null) {
      throw new InvalidConfigException(
          ini.source(),
          e.line(),
          "expected 'NAME file', 'NAME directory', 'NAME combine', production or devel, not '"
              + e.key()
              + "'");
    }
    String name = words[0];
    if (kind == Kind.COMBINE) {
      List<String> members = Arrays.asList(e.value().strip().split("\\s+"));
      if (e.value().isBlank()) {
        throw new InvalidConfigException(ini.source(), e.line(), name + " combines nothing");
      }
      return new Resource(name, kind, null, List.copyOf(members), null, null, e.line());
    }
    return new Resource(
        name, kind, staticPath(ini, e, appDir, kind), List.of(), null, null, e.line());
  }

  private static Kind kindOf(String word) {
    return switch (word) {
      case "file" -> Kind.FILE;
      case "directory" -> Kind.DIRECTORY;
      case "combine" -> Kind.COMBINE;
      default -> null;
    };
  }

  /** The path below {@code static/} of a file or folder entry, which must exist. */
  private static String staticPath(IniFile ini, IniFile.Entry e, Path appDir, Kind kind) {
    String value = e.value().strip();
    String normal = Path.of(value).normalize().toString().replace('\\', '/');
    if (!normal.startsWith(STATIC_PREFIX) || normal.length() == STATIC_PREFIX.length()) {
      throw new InvalidConfigException(
          ini.source(),
          e.line(),
          value + " is not below static/: only the files of static/ have URLs");
    }
    Path target = appDir.resolve(normal);
    boolean there = kind == Kind.FILE ? Files.isRegularFile(target) : Files.isDirectory(target);
    if (!there) {
      throw new InvalidConfigException(
          ini.source(),
          e.line(),
          "no " + (kind == Kind.FILE ? "file " : "folder ") + value + " in the app");
    }
    String below = normal.substring(STATIC_PREFIX.length() - 1);
    return kind == Kind.DIRECTORY && !below.endsWith("/") ? below + "/" : below;
  }

  private static void checkCombinations(IniFile ini, Map<String, Resource> byName) {
    for (Resource r : byName.values()) {
      if (r.kind() != Kind.COMBINE) {
        continue;
      }
      String extension = null;
      for (String m : r.members()) {
        Resource member = byName.get(m);
        if (member == null || member.kind() != Kind.FILE) {
          throw new InvalidConfigException(
              ini.source(),
              r.line(),
              r.name()
                  + " combines "
                  + m
                  + (member == null ? ", which is not defined" : ", which is not a file")
                  + " (define it as '"
                  + m
                  + " file = static/...')");
        }
        String ext = member.extension();
        if (!ext.equals(".js") && !ext.equals(".css")
            || extension != null && !ext.equals(extension)) {
          throw new InvalidConfigException(
              ini.source(),
              r.line(),
              r.name() + " must combine only .js files or only .css files, not " + member.path());
        }
        extension = ext;
      }
    }
  }

  /** The names that are members of some combination. */
  public static java.util.Set<String> members(List<Resource> resources) {
    java.util.Set<String> out = new java.util.HashSet<>();
    resources.stream().filter(r -> r.kind() == Kind.COMBINE).forEach(r -> out.addAll(r.members()));
    return out;
  }

  /** The file resources a combination joins, in order. */
  public static List<Resource> filesOf(Resource combination, List<Resource> resources) {
    List<Resource> out = new ArrayList<>();
    for (String m : combination.members()) {
      resources.stream().filter(r -> r.name().equals(m)).findFirst().ifPresent(out::add);
    }
    return out;
  }
}
