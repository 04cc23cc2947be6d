package org.silverlining.core.schedule;

/**
 * One line of {@code [cron]} in {@code app.ini}: a URL path requested from the app, or a command
 * run in the app's environment, on a schedule.
 *
 * @param name the key as written, e.g. {@code /tasks/cleanup} or {@code command bin/report daily};
 *     unique within the table
 * @param kind whether {@code target} is a URL path or a command line
 * @param target the URL path (starting with {@code /}), or the command line after {@code command}
 * @param schedule when it runs
 * @param line the 1-based line of {@code app.ini} it was written on
 */
public record CronJob(String name, Kind kind, String target, Schedule schedule, int line) {
  /** What a cron job runs. */
  public enum Kind {
    /** An internal GET request to the live instance. */
    URL,
    /** A command line, split with {@link org.silverlining.core.CommandLine}, never a shell. */
    COMMAND
  }
}
