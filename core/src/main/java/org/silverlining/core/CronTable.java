package org.silverlining.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.silverlining.core.schedule.CronJob;
import org.silverlining.core.schedule.Schedule;

/**
 * The {@code [cron]} section of {@code app.ini}: lines {@code /URL = schedule} and {@code command
 * LINE = schedule}, and an optional {@code timezone = ZONE} (a zoneinfo name, default UTC) that
 * every schedule is read in, wherever it is written in the section.
 *
 * <pre>
 * [cron]
 * timezone = Europe/Berlin
 * /tasks/cleanup = every day 03:00
 * command bin/report --daily = 0 7 * * mon-fri
 * </pre>
 *
 * <p>Read it with {@link #parse(String, String)} or {@link #load(Path)}: they take each job name
 * from the raw line, as written, and split it at the last {@code =} (a schedule never contains
 * one), so URLs and commands keep their case and may contain {@code :} and {@code =}. {@link
 * #parse(IniFile)} sees only what {@link IniFile} keeps: keys lower-cased and cut at the first
 * {@code :} or {@code =}.
 *
 * @param zone the zone the schedules are read in
 * @param jobs the jobs in file order
 */
public record CronTable(ZoneId zone, List<CronJob> jobs) {
  public static final String SECTION = "cron";
  public static final String TIMEZONE_KEY = "timezone";

  private static final String JOB_EXAMPLE =
      "e.g. /tasks/cleanup = every day 03:00 or command bin/report = */5 * * * *";

  public CronTable {
    jobs = List.copyOf(jobs);
  }

  /** Reads the {@code [cron]} section of {@code appIni}; no section is an empty table. */
  public static CronTable load(Path appIni) throws IOException {
    return parse(appIni.toString(), Files.readString(appIni, StandardCharsets.UTF_8));
  }

  /** Parses the {@code [cron]} section of the app.ini {@code text}, naming {@code source}. */
  public static CronTable parse(String source, String text) {
    IniFile.parse(source, text); // reports INI syntax errors the same way as everywhere else
    // Keys are URL paths and command lines: kept as written, up to the last '='.
    List<IniFile.Entry> entries =
        IniFile.parse(source, text, IniFile.Syntax.KEYS_AS_WRITTEN).entries(SECTION);
    for (IniFile.Entry e : entries) {
      if (e.lastLine() != e.line()) {
        throw new InvalidConfigException(
            source, e.lastLine(), "[cron] entries fit on one line; " + JOB_EXAMPLE);
      }
    }
    return build(source, entries);
  }

  /**
   * Reads the {@code [cron]} section of a parsed file. IniFile lower-cases keys and cuts them at
   * the first {@code :} or {@code =}; prefer {@link #parse(String, String)}, which keeps them.
   */
  public static CronTable parse(IniFile ini) {
    return build(ini.source(), List.copyOf(ini.section(SECTION).values()));
  }

  private static CronTable build(String source, List<IniFile.Entry> entries) {
    ZoneId zone = ZoneOffset.UTC;
    for (IniFile.Entry e : entries) {
      if (e.key().equalsIgnoreCase(TIMEZONE_KEY)) {
        zone = zone(source, e);
      }
    }
    Map<String, CronJob> jobs = new LinkedHashMap<>();
    for (IniFile.Entry e : entries) {
      if (e.key().equalsIgnoreCase(TIMEZONE_KEY)) {
        continue;
      }
      CronJob job = job(source, e, zone);
      CronJob earlier = jobs.putIfAbsent(job.name(), job);
      if (earlier != null) {
        throw new InvalidConfigException(
            source,
            e.line(),
            "[cron] lists '"
                + job.name()
                + "' twice (also on line "
                + earlier.line()
                + "); give each job one schedule, or use a cron spec such as 0 9,17 * * *");
      }
    }
    return new CronTable(zone, List.copyOf(jobs.values()));
  }

  private static ZoneId zone(String source, IniFile.Entry e) {
    try {
      return ZoneId.of(e.value().strip());
    } catch (DateTimeException ex) {
      throw new InvalidConfigException(
          source,
          e.line(),
          "[cron] timezone '"
              + e.value()
              + "' is not a zoneinfo name; e.g. timezone = Europe/Berlin (default UTC)");
    }
  }

  private static CronJob job(String source, IniFile.Entry e, ZoneId zone) {
    String name = e.key();
    CronJob.Kind kind;
    String target;
    if (name.startsWith("/")) {
      kind = CronJob.Kind.URL;
      target = name;
    } else if (name.toLowerCase(Locale.ROOT).startsWith("command ")) {
      kind = CronJob.Kind.COMMAND;
      target = name.substring("command ".length()).strip();
    } else {
      String problem =
          name.equalsIgnoreCase("command")
              ? "'command' needs the command line to run after it; "
              : "'" + name + "' is neither a URL path (starting with /) nor a command line; ";
      throw new InvalidConfigException(source, e.line(), "[cron] " + problem + JOB_EXAMPLE);
    }
    if (e.value().contains("\n") || e.value().contains("=")) {
      throw new InvalidConfigException(
          source,
          e.line(),
          "[cron] the schedule of '" + name + "' is not one plain line; " + JOB_EXAMPLE);
    }
    try {
      return new CronJob(name, kind, target, Schedule.parse(e.value(), zone), e.line());
    } catch (IllegalArgumentException ex) {
      throw new InvalidConfigException(source, e.line(), "[cron] " + name + ": " + ex.getMessage());
    }
  }
}
