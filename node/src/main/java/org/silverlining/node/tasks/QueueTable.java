package org.silverlining.node.tasks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.silverlining.core.IniFile;
import org.silverlining.core.InvalidConfigException;

/**
 * The push queues of an app: one {@code [queue:NAME]} section of {@code app.ini} per queue, plus
 * the {@code default} queue, which always exists (with App Engine's defaults unless a {@code
 * [queue:default]} section changes them).
 *
 * <pre>
 * [queue:mail]
 * rate = 10/s
 * bucket_size = 20
 * max_concurrent = 4
 * retry_limit = 5
 * age_limit = 2d
 * min_backoff = 1
 * max_backoff = 10m
 * max_doublings = 3
 * </pre>
 */
public record QueueTable(Map<String, QueueSettings> queues) {
  public static final String SECTION_PREFIX = "queue:";

  public QueueTable {
    queues = Map.copyOf(queues);
  }

  /** Only the {@code default} queue, with its defaults. */
  public static QueueTable defaults() {
    return new QueueTable(
        Map.of(QueueSettings.DEFAULT_QUEUE, QueueSettings.defaults(QueueSettings.DEFAULT_QUEUE)));
  }

  /** The queues of {@code appIni}; a missing file has only the default queue. */
  public static QueueTable load(Path appIni) throws IOException {
    if (!Files.exists(appIni)) {
      return defaults();
    }
    return parse(IniFile.read(appIni));
  }

  public static QueueTable parse(IniFile ini) {
    Map<String, QueueSettings> queues = new LinkedHashMap<>(defaults().queues());
    for (String section : ini.sectionNames()) {
      if (section.startsWith(SECTION_PREFIX)) {
        String name = section.substring(SECTION_PREFIX.length()).strip();
        queues.put(name, settings(ini, section, name));
      }
    }
    return new QueueTable(queues);
  }

  /** The settings of queue {@code name}, when the app has it. */
  public Optional<QueueSettings> queue(String name) {
    return Optional.ofNullable(queues.get(name));
  }

  private static QueueSettings settings(IniFile ini, String section, String name) {
    QueueSettings d = QueueSettings.defaults(QueueSettings.DEFAULT_QUEUE);
    double rate = d.rate();
    int bucket = d.bucketSize();
    int concurrent = d.maxConcurrent();
    Integer retryLimit = null;
    Duration ageLimit = null;
    Duration minBackoff = d.minBackoff();
    Duration maxBackoff = d.maxBackoff();
    int doublings = d.maxDoublings();
    int firstLine = 0;
    for (IniFile.Entry e : ini.section(section).values()) {
      firstLine = firstLine == 0 ? e.line() : firstLine;
      try {
        switch (e.key()) {
          case "rate" -> rate = QueueSettings.parseRate(e.value());
          case "bucket_size" -> bucket = integer(e.value(), 1);
          case "max_concurrent" -> concurrent = integer(e.value(), 0);
          case "retry_limit" -> retryLimit = integer(e.value(), 0);
          case "age_limit" -> ageLimit = QueueSettings.parseDuration(e.value());
          case "min_backoff" -> minBackoff = QueueSettings.parseDuration(e.value());
          case "max_backoff" -> maxBackoff = QueueSettings.parseDuration(e.value());
          case "max_doublings" -> doublings = integer(e.value(), 0);
          default ->
              throw new IllegalArgumentException(
                  "unknown key '"
                      + e.key()
                      + "'; a queue takes rate, bucket_size, max_concurrent, retry_limit,"
                      + " age_limit, min_backoff, max_backoff, max_doublings");
        }
      } catch (IllegalArgumentException ex) {
        throw new InvalidConfigException(
            ini.source(), e.line(), "[" + section + "] " + ex.getMessage());
      }
    }
    try {
      return new QueueSettings(
          name, rate, bucket, concurrent, retryLimit, ageLimit, minBackoff, maxBackoff, doublings);
    } catch (IllegalArgumentException ex) {
      throw new InvalidConfigException(
          ini.source(), Math.max(firstLine - 1, 1), "[" + section + "] " + ex.getMessage());
    }
  }

  private static int integer(String text, int min) {
    try {
      int v = Integer.parseInt(text.strip());
      if (v >= min) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("'" + text + "' is not a whole number of at least " + min);
  }
}
