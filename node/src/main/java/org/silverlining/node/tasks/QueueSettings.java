package org.silverlining.node.tasks;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The settings of one push queue, App Engine's {@code queue.yaml} meanings under the names of a
 * {@code [queue:NAME]} section of {@code app.ini}.
 *
 * @param rate tasks started per second on average; 0 pauses the queue (its tasks are kept)
 * @param bucketSize the token bucket's size: how many tasks may start at once after a quiet time
 * @param maxConcurrent tasks of the queue being delivered at once; 0 is no cap
 * @param retryLimit retries after the first attempt before the task is dead; {@code null} is none
 * @param ageLimit time since the first attempt after which a task is dead; {@code null} is none
 * @param minBackoff the wait before the first retry
 * @param maxBackoff the longest wait between retries
 * @param maxDoublings how many times the wait doubles before it grows linearly
 */
public record QueueSettings(
    String name,
    double rate,
    int bucketSize,
    int maxConcurrent,
    Integer retryLimit,
    Duration ageLimit,
    Duration minBackoff,
    Duration maxBackoff,
    int maxDoublings) {
  public static final String DEFAULT_QUEUE = "default";
  public static final double DEFAULT_RATE = 5;
  public static final int DEFAULT_BUCKET_SIZE = 5;
  public static final Duration DEFAULT_MIN_BACKOFF = Duration.ofMillis(100);
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofHours(1);
  public static final int DEFAULT_MAX_DOUBLINGS = 16;

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*/\\s*([smhd])");
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([smhd]?)");

  public QueueSettings {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "a queue name is 1 to 100 letters, digits and -, not '" + name + "'");
    }
    if (rate < 0 || bucketSize < 1 || maxConcurrent < 0 || maxDoublings < 0) {
      throw new IllegalArgumentException("queue " + name + ": negative setting");
    }
    if (retryLimit != null && retryLimit < 0) {
      throw new IllegalArgumentException("queue " + name + ": retry_limit must be 0 or more");
    }
    if (minBackoff.compareTo(maxBackoff) > 0) {
      throw new IllegalArgumentException(
          "queue " + name + ": min_backoff is longer than max_backoff");
    }
  }

  /** A queue with App Engine's defaults: 5/s, bucket 5, no caps, 0.1 s to 1 h, 16 doublings. */
  public static QueueSettings defaults(String name) {
    return new QueueSettings(
        name,
        DEFAULT_RATE,
        DEFAULT_BUCKET_SIZE,
        0,
        null,
        null,
        DEFAULT_MIN_BACKOFF,
        DEFAULT_MAX_BACKOFF,
        DEFAULT_MAX_DOUBLINGS);
  }

  /**
   * The wait before retry {@code n} (1 for the first retry), as App Engine computes it: {@code
   * min_backoff · 2^e} with {@code e = min(n−1, max_doublings)}, then multiplied by {@code n − e}
   * once the doublings are used up (growing linearly), and never more than {@code max_backoff}.
   */
  public Duration backoff(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("retries count from 1");
    }
    int e = Math.min(n - 1, maxDoublings);
    double d = minBackoff.toNanos() * Math.pow(2, e);
    if (n - e > 1) {
      d *= n - e;
    }
    return Duration.ofNanos((long) Math.min(d, maxBackoff.toNanos()));
  }

  /**
   * Whether a task whose attempt number {@code n} (1 for the first) just failed, {@code age} after
   * its first attempt, is dead. With both limits set both must be reached, as on App Engine.
   */
  public boolean exhausted(int n, Duration age) {
    if (retryLimit == null && ageLimit == null) {
      return false;
    }
    boolean retriesUsed = retryLimit == null || n > retryLimit;
    boolean tooOld = ageLimit == null || age.compareTo(ageLimit) > 0;
    return retriesUsed && tooOld;
  }

  /** Whether {@code name} can name a queue. */
  public static boolean isQueueName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /** A rate such as {@code 5/s}, {@code 100/m}, {@code 0.5/s} or {@code 0}, in tasks per second. */
  static double parseRate(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) {
      return 0;
    }
    Matcher m = RATE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a rate; e.g. rate = 5/s, 100/m, 2/h, 10/d, or 0 to pause");
    }
    return Double.parseDouble(m.group(1)) / seconds(m.group(2));
  }

  /**
   * A duration such as {@code 0.1} or {@code 30s} (seconds), {@code 5m}, {@code 2h} or {@code 7d}.
   */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration; e.g. 0.5 or 30s (seconds), 5m, 2h, 7d");
    }
    double seconds = Double.parseDouble(m.group(1)) * seconds(m.group(2));
    return Duration.ofNanos((long) (seconds * 1e9));
  }

  private static long seconds(String unit) {
    return switch (unit) {
      case "m" -> 60;
      case "h" -> 3600;
      case "d" -> 86400;
      default -> 1;
    };
  }
}
