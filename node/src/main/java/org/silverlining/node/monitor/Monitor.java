package org.silverlining.node.monitor;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.silverlining.node.front.LiveInstance;
import org.silverlining.node.process.DaemonThreads;

/**
 * The node's monitoring, wired in one place: the metrics registry, the history with its
 * once-a-minute sampler, and the views the management API shows. One scheduler thread runs the
 * periodic work; none of it runs on a request's thread.
 */
public final class Monitor implements AutoCloseable {
  private final NodeMetrics metrics;
  private final History history;
  private final HistorySampler sampler;
  private final StatsView stats;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("monitor"));

  /**
   * @param historyFile the history's SQLite file ({@code ROOT/monitor.db})
   * @param disk a path on the node's file system, for its free space
   * @param running the instances running now
   */
  public Monitor(Path historyFile, Path disk, Supplier<List<LiveInstance>> running, Clock clock)
      throws SQLException {
    this.clock = clock;
    ProcFiles proc = ProcFiles.system();
    metrics = new NodeMetrics(proc, disk, running);
    history = new History(historyFile);
    sampler = new HistorySampler(history, metrics, proc, running, clock, p -> {});
    stats = new StatsView(history, metrics.front(), sampler, clock);
  }

  /** Starts the sampler at the next whole minute. */
  public void start() {
    long millis = clock.millis();
    long toNextMinute = 60_000 - millis % 60_000;
    timer.scheduleAtFixedRate(sampler::sample, toNextMinute, 60_000, TimeUnit.MILLISECONDS);
  }

  public NodeMetrics metrics() {
    return metrics;
  }

  public StatsView stats() {
    return stats;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      history.close();
    } catch (SQLException e) {
      // closing at shutdown; the next start opens the file again
    }
  }
}
