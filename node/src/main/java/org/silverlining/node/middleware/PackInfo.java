package org.silverlining.node.middleware;

import java.util.List;

/**
 * What a pack is, as {@code silver middleware} lists it: its name, version, one line on what it
 * does, and the settings it takes.
 */
public record PackInfo(String name, String version, String description, List<Setting> settings) {
  public PackInfo {
    settings = List.copyOf(settings);
  }

  /** A built-in pack: version 1, its settings as listed. */
  static PackInfo builtIn(String name, String description, Setting... settings) {
    return new PackInfo(name, "1", description, List.of(settings));
  }
}
