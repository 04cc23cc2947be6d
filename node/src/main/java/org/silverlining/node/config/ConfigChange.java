package org.silverlining.node.config;

import java.nio.file.Path;

/**
 * What a deployment does to the app's configuration: keep the newest revision (or record the app's
 * {@code config.default} when there is none), record an uploaded folder, revert to an earlier
 * revision, or delete it.
 */
public record ConfigChange(Kind kind, Path source, int revision, String message) {
  /** The kinds of change. */
  public enum Kind {
    KEEP,
    UPLOAD,
    REVERT,
    DELETE
  }

  public static final ConfigChange KEEP = new ConfigChange(Kind.KEEP, null, 0, "");

  public static ConfigChange upload(Path source, String message) {
    return new ConfigChange(Kind.UPLOAD, source, 0, message);
  }

  public static ConfigChange revert(int revision) {
    return new ConfigChange(Kind.REVERT, null, revision, "");
  }

  public static ConfigChange delete() {
    return new ConfigChange(Kind.DELETE, null, 0, "");
  }
}
