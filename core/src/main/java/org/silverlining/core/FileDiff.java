package org.silverlining.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which files differ between two deployed trees (file manifests: path, size, sha256), as {@code
 * silver diff} and the dashboard show it.
 */
public final class FileDiff {
  private FileDiff() {}

  /** One file: its size and sha256. */
  public record Facts(long size, String sha256) {}

  /**
   * A file added, removed or changed from one tree to the other; {@code before} or {@code after}
   * null when absent.
   */
  public record Change(String kind, String path, Facts before, Facts after) {
    /** The change as one line: {@code added PATH (N bytes)}, {@code removed PATH}... */
    public String line() {
      return switch (kind) {
        case "added" -> "added    " + path + " (" + after.size() + " bytes)";
        case "removed" -> "removed  " + path;
        default -> "changed  " + path + " (" + before.size() + " -> " + after.size() + " bytes)";
      };
    }
  }

  /** The changes from {@code a} to {@code b}, by path. */
  public static List<Change> between(Map<String, Facts> a, Map<String, Facts> b) {
    List<Change> out = new ArrayList<>();
    TreeSet<String> paths = new TreeSet<>(a.keySet());
    paths.addAll(b.keySet());
    for (String p : paths) {
      Facts x = a.get(p);
      Facts y = b.get(p);
      if (x == null) {
        out.add(new Change("added", p, null, y));
      } else if (y == null) {
        out.add(new Change("removed", p, x, null));
      } else if (!x.sha256().equals(y.sha256())) {
        out.add(new Change("changed", p, x, y));
      }
    }
    return out;
  }
}
