package org.silverlining.core;

import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.silverlining.core.schedule.Schedule;

/**
 * Scheduled backups of an app's data: {@code backup.schedule} (the forms of cron schedules, read in
 * UTC, or {@code never}) and {@code backup.keep} (how many to keep, default {@value
 * #DEFAULT_KEEP}), from app.ini or, for apps that set none, node.ini's {@code [backup]} section.
 *
 * @param schedule when to take one; empty for {@code never}
 * @param keep how many scheduled backups of the app to keep
 */
public record BackupSettings(Optional<Schedule> schedule, int keep) {
  public static final int DEFAULT_KEEP = 7;
  public static final String NEVER = "never";
  public static final Set<String> KEYS = Set.of("schedule", "keep");

  /** No scheduled backups. */
  public static final BackupSettings NONE = new BackupSettings(Optional.empty(), DEFAULT_KEEP);

  /**
   * The settings in {@code values} ({@code schedule}, {@code keep}, without the {@code backup.}
   * prefix); empty when there is no {@code schedule}.
   *
   * @throws IllegalArgumentException saying which value is wrong and what to write instead
   */
  public static Optional<BackupSettings> parse(Map<String, String> values) {
    String text = values.get("schedule");
    String keepText = values.get("keep");
    int keep = DEFAULT_KEEP;
    if (keepText != null && !keepText.isBlank()) {
      try {
        keep = Integer.parseInt(keepText.strip());
      } catch (NumberFormatException e) {
        keep = -1;
      }
      if (keep < 1) {
        throw new IllegalArgumentException(
            "backup.keep must be a whole number of backups, 1 or more, not '" + keepText + "'");
      }
    }
    if (text == null || text.isBlank()) {
      return Optional.empty();
    }
    if (text.strip().equalsIgnoreCase(NEVER)) {
      return Optional.of(new BackupSettings(Optional.empty(), keep));
    }
    try {
      return Optional.of(
          new BackupSettings(Optional.of(Schedule.parse(text, ZoneOffset.UTC)), keep));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("backup." + e.getMessage() + ", or never", e);
    }
  }

  /** The {@code backup.*} settings among app.ini's settings, without the prefix. */
  public static Map<String, String> fromAppSettings(Map<String, String> settings) {
    Map<String, String> out = new java.util.TreeMap<>();
    settings.forEach(
        (k, v) -> {
          if (k.startsWith("backup.")) {
            out.put(k.substring("backup.".length()), v);
          }
        });
    return out;
  }
}
