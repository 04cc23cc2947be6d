package org.silverlining.node.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An app's log level for a while: {@code ROOT/apps/APP/log-level} holds one word ({@code debug},
 * {@code info}...), replaced atomically so an app may watch it ({@code SILVER_LOG_LEVEL_FILE}); a
 * raised level goes back to {@link #DEFAULT} by itself when its time is up ({@code log-level.until}
 * beside it holds when, so a node restart keeps the promise). The node's own level (its root
 * logger) works the same way, in memory.
 */
public final class LogLevels {
  public static final String DEFAULT = "info";
  public static final Set<String> LEVELS = Set.of("trace", "debug", "info", "warn", "error");
  private static final Logger log = LoggerFactory.getLogger(LogLevels.class);

  private final Function<String, Path> fileOf;
  private final Clock clock;
  private volatile Instant nodeUntil;

  /** {@code fileOf}: an app's level file. */
  public LogLevels(Function<String, Path> fileOf, Clock clock) {
    this.fileOf = fileOf;
    this.clock = clock;
  }

  /** {@code text} as a level, or an exception naming the levels. */
  public static String level(String text) {
    String l = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (l.equals("warning")) {
      l = "warn";
    }
    if (!LEVELS.contains(l)) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a log level: trace, debug, info, warn or error");
    }
    return l;
  }

  /** The level file of {@code app}, written with the default level when it does not exist. */
  public Path file(String app) throws IOException {
    Path f = fileOf.apply(app);
    if (!Files.exists(f)) {
      write(f, DEFAULT);
    }
    return f;
  }

  /** The level {@code app} has now. */
  public String current(String app) throws IOException {
    return Files.readString(file(app), StandardCharsets.UTF_8).strip();
  }

  /** Sets {@code app}'s level to {@code level} until {@code span} has passed. */
  public Map<String, Object> set(String app, String level, Duration span) throws IOException {
    Path f = file(app);
    Instant until = clock.instant().plus(span);
    write(f, level);
    Path u = untilFile(f);
    if (level.equals(DEFAULT)) {
      Files.deleteIfExists(u);
    } else {
      write(u, Long.toString(until.getEpochSecond()));
    }
    log.info("log level of {} set to {} until {}", app, level, until);
    return answer(app, level, level.equals(DEFAULT) ? null : until, f);
  }

  /** Sets the node's own level until {@code span} has passed. */
  public Map<String, Object> setNode(String level, Duration span) {
    nodeLevel(level);
    nodeUntil = level.equals(DEFAULT) ? null : clock.instant().plus(span);
    log.info("the node's log level set to {} until {}", level, nodeUntil);
    return answer(null, level, nodeUntil, null);
  }

  /** Puts back the default level of each app (among {@code apps}) and the node whose time is up. */
  public void revertExpired(Iterable<String> apps) {
    Instant now = clock.instant();
    Instant n = nodeUntil;
    if (n != null && !now.isBefore(n)) {
      nodeUntil = null;
      nodeLevel(DEFAULT);
      log.info("the node's log level is back to {}", DEFAULT);
    }
    for (String app : apps) {
      Path f = fileOf.apply(app);
      Path u = untilFile(f);
      try {
        if (Files.exists(u)
            && !now.isBefore(Instant.ofEpochSecond(Long.parseLong(Files.readString(u).strip())))) {
          write(f, DEFAULT);
          Files.deleteIfExists(u);
          log.info("log level of {} is back to {}", app, DEFAULT);
        }
      } catch (IOException | NumberFormatException e) {
        log.warn("cannot put back the log level of {}: {}", app, e.toString());
      }
    }
  }

  private static Map<String, Object> answer(String app, String level, Instant until, Path file) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app", app);
    m.put("level", level);
    m.put("until", until == null ? null : until.toString());
    m.put("file", file == null ? null : file.toString());
    return m;
  }

  private static void nodeLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext ctx) {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME)
          .setLevel(ch.qos.logback.classic.Level.toLevel(level, ch.qos.logback.classic.Level.INFO));
    }
  }

  private static Path untilFile(Path f) {
    return f.resolveSibling(f.getFileName() + ".until");
  }

  /** Replaces {@code f} whole: a reader sees the old content or the new, never half. */
  private static void write(Path f, String text) throws IOException {
    Files.createDirectories(f.getParent());
    Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
    Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
