package org.silverlining.node.admin;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.silverlining.core.TimeSpan;
import org.silverlining.node.api.ApiArea;
import org.silverlining.node.api.ApiCall;
import org.silverlining.node.api.Endpoint;
import org.silverlining.node.api.Params;
import org.silverlining.node.api.Routes;
import org.silverlining.node.control.NodeStatus;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.logs.LogTail;

/**
 * An app's logs by stream ({@code app}, {@code cron}... files under {@code logs/apps/APP/}; {@code
 * access}: the node's access log, the app's lines) or the node's own: the last lines, optionally
 * only those since a time or matching a pattern, and with {@code follow} what comes next, as plain
 * text; and the list of an app's log files with their sizes.
 */
final class LogsArea implements ApiArea {
  /** How often a follower looks for new lines. */
  static final long FOLLOW_POLL_MILLIS = 200;

  /** The streams an app has: each a file {@code STREAM.log} in its folder, but {@code access}. */
  static final Set<String> STREAMS = Set.of("app", "cron", "tasks", "update", "access", "errors");

  /** Lines read back to find the last {@code n} that match a filter. */
  static final int FILTER_SCAN_LINES = 200_000;

  private final NodeStatus status;
  private final Function<String, Path> appLog;

  /** {@code appLog}: the log file of an app ({@code logs/apps/APP/app.log}). */
  LogsArea(NodeStatus status, Function<String, Path> appLog) {
    this.status = status;
    this.appLog = appLog;
  }

  /**
   * An app named by {@code app} or by its {@code location}, or the node's own log ({@code node});
   * {@code n} lines (100 when absent) of {@code stream} ({@code app} when absent).
   */
  record LogsParams(
      String app,
      String location,
      Integer n,
      boolean follow,
      String stream,
      String grep,
      String since,
      boolean node) {
    LogsParams {
      app = Params.optional(app);
      location = Params.optional(location);
      if (app == null && !node) {
        Params.required("location", location);
      }
      n = Params.atLeast("n", n, 0, 100);
      stream = Params.optional(stream) == null ? "app" : stream.strip();
      if (!STREAMS.contains(stream)) {
        throw new InvalidParameterException(
            "stream", "stream is one of app, cron, tasks, update, access, errors; not " + stream);
      }
      pattern(grep);
      if (Params.optional(since) != null) {
        try {
          TimeSpan.parse(since);
        } catch (IllegalArgumentException e) {
          throw new InvalidParameterException("since", e.getMessage());
        }
      }
    }

    static Pattern pattern(String grep) {
      if (Params.optional(grep) == null) {
        return null;
      }
      try {
        return Pattern.compile(grep);
      } catch (PatternSyntaxException e) {
        throw new InvalidParameterException(
            "grep", "grep is a regular expression: " + e.getDescription());
      }
    }
  }

  record FilesParams(String app, String location) {
    FilesParams {
      app = Params.optional(app);
      if (app == null) {
        Params.required("location", location);
      }
    }
  }

  @Override
  public void addRoutes(Routes routes) {
    routes.get("logs", this::logs);
    routes.get(
        "logs/files",
        Endpoint.json(
            FilesParams.class,
            (p, c) -> files(p.app() != null ? p.app() : status.appAt(p.location()))));
  }

  private Path logsDir() {
    return appLog.apply("x").getParent().getParent().getParent();
  }

  private Map<String, Object> files(String app) throws IOException {
    Path dir = appLog.apply(app).getParent();
    List<Map<String, Object>> files = new ArrayList<>();
    if (Files.isDirectory(dir)) {
      try (Stream<Path> list = Files.list(dir)) {
        for (Path f : list.sorted().toList()) {
          if (Files.isRegularFile(f)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.getFileName().toString());
            m.put("path", f.toString());
            m.put("size", Files.size(f));
            m.put("modified", Files.getLastModifiedTime(f).toInstant().toString());
            files.add(m);
          }
        }
      }
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app", app);
    m.put("dir", dir.toString());
    m.put("files", files);
    return m;
  }

  private void logs(ApiCall call) throws Exception {
    LogsParams p = call.params(LogsParams.class);
    Path file;
    Predicate<String> keep = line -> true;
    if (p.node()) {
      file = logsDir().resolve("node.log");
    } else {
      String app = p.app() != null ? p.app() : status.appAt(p.location());
      if (p.stream().equals("access")) {
        file = logsDir().resolve("access.log");
        String mark = " " + app + ".";
        keep = line -> line.contains(mark);
      } else {
        file = appLog.apply(app).resolveSibling(p.stream() + ".log");
      }
    }
    Pattern grep = LogsParams.pattern(p.grep());
    if (grep != null) {
      keep = keep.and(line -> grep.matcher(line).find());
    }
    if (p.since() != null) {
      // Every log line starts with its ISO-8601 time, which sorts as text.
      String from = Instant.now().minus(TimeSpan.parse(p.since())).toString();
      keep = keep.and(line -> line.length() >= 19 && line.compareTo(from) >= 0);
    }
    boolean filtered = grep != null || p.since() != null || p.stream().equals("access");
    call.response().setStatus(200);
    call.response().getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    try (OutputStream out = Content.Sink.asOutputStream(call.response())) {
      LogTail tail = new LogTail(file); // across NAME.1 too, and through rotations
      if (filtered) {
        LineFilter last = new LineFilter(keep, p.n(), null);
        tail.last(FILTER_SCAN_LINES, last);
        last.drainTo(out);
      } else {
        tail.last(p.n(), out);
      }
      out.flush();
      OutputStream follow = filtered ? new LineFilter(keep, 0, out) : out;
      while (p.follow()) {
        Thread.sleep(FOLLOW_POLL_MILLIS);
        tail.follow(follow);
        out.flush(); // fails once the client has gone, which ends the loop
      }
    } catch (IOException e) {
      // a follower disconnected
    }
    call.callback().succeeded();
  }

  /**
   * Lines written to it that {@code keep} accepts: passed on to {@code out}, or without one kept,
   * the last {@code n} of them, for {@link #drainTo}.
   */
  static final class LineFilter extends OutputStream {
    private final Predicate<String> keep;
    private final int n;
    private final OutputStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Deque<String> last = new ArrayDeque<>();

    LineFilter(Predicate<String> keep, int n, OutputStream out) {
      this.keep = keep;
      this.n = n;
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      if (b != '\n') {
        line.write(b);
        return;
      }
      String text = line.toString(StandardCharsets.UTF_8);
      line.reset();
      if (!keep.test(text)) {
        return;
      }
      if (out != null) {
        out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
      } else if (n > 0) {
        last.addLast(text);
        if (last.size() > n) {
          last.removeFirst();
        }
      }
    }

    void drainTo(OutputStream to) throws IOException {
      for (String l : last) {
        to.write((l + "\n").getBytes(StandardCharsets.UTF_8));
      }
      last.clear();
    }
  }
}
