package org.silverlining.node.monitor;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.silverlining.node.process.AppProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The errors of each deployment, grouped by {@link ErrorReport#signature}: how many, first and last
 * seen, and one sample. Counts start again with each deployment (an instance's groups are its own).
 * A new group is e-mailed to {@code error_email}, at most one e-mail per app per {@link
 * #MAIL_EVERY}; {@code silver errors} lists every group. Groups are kept in the history's file,
 * written once a minute and at close, for {@link #KEPT}.
 */
public final class ErrorGroups {
  static final Duration MAIL_EVERY = Duration.ofMinutes(1);
  static final Duration KEPT = Duration.ofDays(30);
  static final int MAX_GROUPS = 200;
  static final long IDLE_NANOS = 500_000_000L;
  private static final Logger log = LoggerFactory.getLogger(ErrorGroups.class);

  /** Tells of a new group (for the error e-mail). */
  public interface NewGroup {
    void found(String app, String instance, ErrorReport report);
  }

  private static final class Group {
    final String app;
    final ErrorReport first;
    long count;
    final long firstSeen;
    long lastSeen;
    volatile boolean dirty = true;

    Group(String app, ErrorReport first, long count, long firstSeen, long lastSeen) {
      this.app = app;
      this.first = first;
      this.count = count;
      this.firstSeen = firstSeen;
      this.lastSeen = lastSeen;
    }
  }

  private final History history;
  private final Clock clock;
  private final NewGroup onNew;
  private final NewGroup onEveryNew;
  private final Map<String, Map<String, Group>> byInstance = new ConcurrentHashMap<>();
  private final Map<String, TraceParser> parsers = new ConcurrentHashMap<>();
  private final Map<String, Long> lastMail = new ConcurrentHashMap<>();

  public ErrorGroups(History history, Clock clock, NewGroup onNew) throws SQLException {
    this(history, clock, onNew, (app, instance, r) -> {});
  }

  /**
   * {@code onNew} hears of new groups at most once per app and {@link #MAIL_EVERY} (the e-mail);
   * {@code onEveryNew} of each new group (the app's {@code errors.log}).
   */
  public ErrorGroups(History history, Clock clock, NewGroup onNew, NewGroup onEveryNew)
      throws SQLException {
    this.history = history;
    this.clock = clock;
    this.onNew = onNew;
    this.onEveryNew = onEveryNew;
    long from = clock.millis() / 1000 - KEPT.toSeconds();
    for (History.ErrorRow r : history.loadErrors(from)) {
      ErrorReport report = new ErrorReport(r.kind(), r.type(), r.message(), List.of(), r.sample());
      Group g = new Group(r.app(), report, r.count(), r.firstSeen(), r.lastSeen());
      g.dirty = false;
      byInstance
          .computeIfAbsent(r.instance(), i -> new ConcurrentHashMap<>())
          .put(r.signature(), g);
    }
  }

  /** Reads one line a process printed. */
  public void line(AppProcess p, String line) {
    String app = p.owner().app();
    String instance = p.owner().instance();
    parsers
        .computeIfAbsent(p.tag(), t -> new TraceParser(r -> report(app, instance, r)))
        .line(line);
  }

  /**
   * Records a 5xx answer of {@code instance}, with what the {@code errors} pack answered instead of
   * ({@code original}: the app's body or why it could not be reached; null without the pack).
   */
  public void serverError(
      String app, String instance, int status, String method, String path, String original) {
    String what = method + " " + path + " answered " + status;
    report(
        app,
        instance,
        new ErrorReport(
            "http",
            "HTTP " + status,
            method + " " + path,
            List.of(method + " " + path),
            original == null ? what : what + "\n\n" + original));
  }

  /** Adds {@code r} to its group of {@code instance}, making the group if it is new. */
  public void report(String app, String instance, ErrorReport r) {
    long now = clock.millis() / 1000;
    Map<String, Group> groups =
        byInstance.computeIfAbsent(instance, i -> new ConcurrentHashMap<>());
    String signature =
        groups.size() >= MAX_GROUPS && !groups.containsKey(r.signature()) ? "other" : r.signature();
    boolean[] created = {false};
    Group g =
        groups.computeIfAbsent(
            signature,
            s -> {
              created[0] = true;
              return new Group(app, r, 0, now, now);
            });
    synchronized (g) {
      g.count++;
      g.lastSeen = now;
      g.dirty = true;
    }
    if (created[0]) {
      onEveryNew.found(app, instance, r);
      mailNew(app, instance, r);
    }
  }

  private void mailNew(String app, String instance, ErrorReport r) {
    long now = clock.millis();
    Long last = lastMail.get(app);
    if (last != null && now - last < MAIL_EVERY.toMillis()) {
      return;
    }
    lastMail.put(app, now);
    onNew.found(app, instance, r);
  }

  /** Ends Java traces no line has followed for a while; drops parsers of stopped processes. */
  public void flushIdle(Set<String> runningInstances) {
    long now = System.nanoTime();
    parsers.forEach(
        (tag, parser) -> {
          parser.flushIfIdle(now, IDLE_NANOS);
          String instance = tag.substring(0, tag.lastIndexOf('#'));
          if (!runningInstances.contains(instance)) {
            parser.flush();
            parsers.remove(tag);
          }
        });
  }

  /** The groups of {@code instance}, the most frequent first. */
  public List<Map<String, Object>> of(String instance) {
    List<Map<String, Object>> out = new ArrayList<>();
    Map<String, Group> groups = byInstance.getOrDefault(instance, Map.of());
    groups.entrySet().stream()
        .sorted(Comparator.comparingLong(e -> -e.getValue().count))
        .forEach(
            e -> {
              Group g = e.getValue();
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("signature", e.getKey());
              m.put("kind", g.first.kind());
              m.put("type", g.first.type());
              m.put("message", g.first.message());
              synchronized (g) {
                m.put("count", g.count);
                m.put("first_seen", Instant.ofEpochSecond(g.firstSeen).toString());
                m.put("last_seen", Instant.ofEpochSecond(g.lastSeen).toString());
              }
              m.put("sample", g.first.sample());
              out.add(m);
            });
    return out;
  }

  /** Writes the groups changed since the last save. */
  public void save() {
    List<History.ErrorRow> rows = new ArrayList<>();
    byInstance.forEach(
        (instance, groups) ->
            groups.forEach(
                (signature, g) -> {
                  if (g.dirty) {
                    synchronized (g) {
                      g.dirty = false;
                      rows.add(
                          new History.ErrorRow(
                              instance,
                              signature,
                              g.app,
                              g.first.kind(),
                              g.first.type(),
                              g.first.message(),
                              g.first.sample(),
                              g.count,
                              g.firstSeen,
                              g.lastSeen));
                    }
                  }
                }));
    if (rows.isEmpty()) {
      return;
    }
    try {
      history.saveErrors(rows);
    } catch (SQLException e) {
      log.warn("cannot store {} error group(s): {}", rows.size(), e.toString());
    }
  }
}
