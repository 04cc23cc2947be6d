package org.silverlining.node.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.silverlining.node.steps.Progress;

/**
 * The deployments started from the deploy page, in memory, the newest {@link #KEPT}: each one's
 * stages as they are reported and, once it ended, its outcome, for the page that follows it.
 */
final class DeployRuns {
  static final int KEPT = 50;

  private final Map<Long, Run> runs = new LinkedHashMap<>();
  private final AtomicLong ids = new AtomicLong();

  /** A deployment: the app and location, what it reported, and how it ended (null: running). */
  static final class Run implements Progress {
    final long id;
    final String app;
    final String location;
    final String who;
    private final List<String> lines = new ArrayList<>();
    private String outcome;
    private boolean ok;

    private Run(long id, String app, String location, String who) {
      this.id = id;
      this.app = app;
      this.location = location;
      this.who = who;
    }

    @Override
    public synchronized void started(String stage) {
      lines.add(stage + ": started");
    }

    @Override
    public synchronized void finished(String stage, long millis, String detail) {
      lines.add(
          stage
              + ": done in "
              + millis
              + " ms"
              + (detail == null || detail.isEmpty() ? "" : ": " + detail));
    }

    @Override
    public synchronized void note(String text) {
      lines.add(text);
    }

    /** Ends the run: {@code ok} or not, and what to tell. */
    synchronized void end(boolean ok, String outcome) {
      this.ok = ok;
      this.outcome = outcome;
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    /** How it ended, or null while it runs. */
    synchronized String outcome() {
      return outcome;
    }

    synchronized boolean ok() {
      return ok;
    }
  }

  /** A new run of {@code app} at {@code location}. */
  synchronized Run start(String app, String location, String who) {
    Run r = new Run(ids.incrementAndGet(), app, location, who);
    runs.put(r.id, r);
    if (runs.size() > KEPT) {
      runs.remove(runs.keySet().iterator().next());
    }
    return r;
  }

  /** The run {@code id}, or null when there is none (any more). */
  synchronized Run find(long id) {
    return runs.get(id);
  }
}
