package org.silverlining.core;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The files an upload leaves out: {@code .silverignore} in the app's folder, one glob per line in
 * the manner of {@code .gitignore}. A pattern with no slash matches a name at any depth; one with a
 * slash is taken from the app's root; a trailing slash matches a folder and everything below it.
 * Version control folders are always left out.
 */
public final class IgnoreRules {
  public static final String FILE_NAME = ".silverignore";
  private static final List<String> ALWAYS = List.of(".git/", ".hg/", ".svn/", ".silver/");

  private record Rule(PathMatcher matcher, boolean anchored, boolean folderOnly) {}

  private final List<Rule> rules;

  private IgnoreRules(List<Rule> rules) {
    this.rules = rules;
  }

  /** The rules of {@code appDir}: its {@code .silverignore}, if any, plus the built-in ones. */
  public static IgnoreRules of(Path appDir) throws IOException {
    List<String> lines = new ArrayList<>(ALWAYS);
    Path file = appDir.resolve(FILE_NAME);
    if (Files.isRegularFile(file)) {
      lines.addAll(Files.readAllLines(file));
    }
    return fromLines(lines);
  }

  public static IgnoreRules fromLines(List<String> lines) {
    List<Rule> rules = new ArrayList<>();
    for (String line : lines) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean folderOnly = p.endsWith("/");
      if (folderOnly) {
        p = p.substring(0, p.length() - 1);
      }
      boolean anchored = p.contains("/");
      if (p.startsWith("/")) {
        p = p.substring(1);
      }
      rules.add(
          new Rule(FileSystems.getDefault().getPathMatcher("glob:" + p), anchored, folderOnly));
    }
    return new IgnoreRules(rules);
  }

  /** True when {@code relative} (a path inside the app, '/'-separated) is left out. */
  public boolean ignores(String relative, boolean isFolder) {
    Path path = Path.of(relative);
    for (Rule rule : rules) {
      if (rule.folderOnly && !isFolder) {
        continue;
      }
      if (rule.anchored) {
        if (rule.matcher.matches(path)) {
          return true;
        }
      } else if (rule.matcher.matches(path.getFileName())) {
        return true;
      }
    }
    return false;
  }
}
