package org.silverlining.node.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;
import org.silverlining.core.TimeSpan;

/**
 * The {@code [dashboard]} section of {@code node.ini}: how long a session lasts without a request
 * ({@code idle_timeout}, default 30 minutes) and at most after its login ({@code absolute_timeout},
 * default 12 hours).
 */
public record DashboardSettings(Duration idleTimeout, Duration absoluteTimeout) {
  static final String SECTION = "dashboard";
  public static final DashboardSettings DEFAULT =
      new DashboardSettings(Duration.ofMinutes(30), Duration.ofHours(12));

  /** Reads {@code file}'s {@code [dashboard]} section; a missing file or key: the default. */
  public static DashboardSettings load(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      return DEFAULT;
    }
    IniFile ini = IniFile.read(file);
    Duration idle = span(ini, "idle_timeout", DEFAULT.idleTimeout());
    Duration absolute = span(ini, "absolute_timeout", DEFAULT.absoluteTimeout());
    if (idle.compareTo(absolute) > 0) {
      int line = ini.entry(SECTION, "idle_timeout").map(IniFile.Entry::line).orElse(0);
      throw new InvalidConfigException(
          ini.source(),
          line,
          "[dashboard] idle_timeout ("
              + idle.toSeconds()
              + " s) is longer than absolute_timeout ("
              + absolute.toSeconds()
              + " s)");
    }
    return new DashboardSettings(idle, absolute);
  }

  private static Duration span(IniFile ini, String key, Duration fallback) {
    Optional<IniFile.Entry> e = ini.entry(SECTION, key);
    if (e.isEmpty()) {
      return fallback;
    }
    Duration d;
    try {
      d = TimeSpan.parse(e.get().value());
    } catch (IllegalArgumentException x) {
      throw new InvalidConfigException(
          ini.source(), e.get().line(), "[dashboard] " + key + ": " + x.getMessage());
    }
    if (d.isZero()) {
      throw new InvalidConfigException(
          ini.source(), e.get().line(), "[dashboard] " + key + " is at least 1s");
    }
    return d;
  }
}
