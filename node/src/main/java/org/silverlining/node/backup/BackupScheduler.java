package org.silverlining.node.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.silverlining.core.BackupSettings;
import org.silverlining.core.IniFile;
import org.silverlining.node.layout.NodeLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the scheduled backups of the apps live on this node ({@code backup.schedule} and {@code
 * backup.keep} in app.ini, else node.ini's {@code [backup]} section). Every {@link #TICK} it looks
 * at each app: a backup is due at the schedule's first time after the app's newest scheduled backup
 * (after the node's start, when there is none), so one that came due while the node was down is
 * taken once when it starts. Backups run one at a time, on the scheduler's own thread.
 */
public final class BackupScheduler implements AutoCloseable {
  static final Duration TICK = Duration.ofSeconds(20);
  private static final Logger log = LoggerFactory.getLogger(BackupScheduler.class);

  /** Where the apps live on this node come from. */
  @FunctionalInterface
  public interface Targets {
    List<BackupService.Target> live() throws Exception;
  }

  private final BackupService backups;
  private final Targets targets;
  private final NodeLayout layout;
  private final Instant started = Instant.now();
  private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "backup-scheduler");
            t.setDaemon(true);
            return t;
          });

  public BackupScheduler(BackupService backups, Targets targets, NodeLayout layout) {
    this.backups = backups;
    this.targets = targets;
    this.layout = layout;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes every backup that is due now. */
  void tick() {
    try {
      BackupSettings defaults = nodeDefaults();
      for (BackupService.Target t : targets.live()) {
        settingsOf(t, defaults).ifPresent(s -> runIfDue(t, s, Instant.now()));
      }
    } catch (Exception e) {
      log.warn("scheduled backups: {}", e.toString());
    }
  }

  void runIfDue(BackupService.Target t, BackupSettings s, Instant now) {
    Optional<Instant> due = nextDue(t.app(), s);
    if (due.isEmpty() || due.get().isAfter(now)) {
      return;
    }
    try {
      backups
          .takeScheduled(
              t.app(), t.instance(), t.services().bind(), s.schedule().get().text(), s.keep())
          .ifPresent(c -> log.info("scheduled backup {} of {} taken", c.id(), t.app()));
      lastFailure.remove(t.app());
    } catch (Exception e) {
      // Tried again at the next tick after the next due time, not at every tick.
      lastFailure.put(t.app(), now);
      log.warn("scheduled backup of {} failed: {}", t.app(), e.getMessage());
    }
  }

  /** When {@code app}'s next scheduled backup is due; empty when it has no schedule. */
  public Optional<Instant> nextDue(String app, BackupSettings s) {
    if (s.schedule().isEmpty()) {
      return Optional.empty();
    }
    Instant after = started;
    try {
      List<Checkpoints.Checkpoint> taken = backups.scheduled().list(app);
      if (!taken.isEmpty()) {
        after = Instant.parse(taken.get(0).manifest().facts().get("created"));
      }
    } catch (IOException | RuntimeException e) {
      // unreadable: count from the node's start
    }
    Instant failed = lastFailure.get(app);
    if (failed != null && failed.isAfter(after)) {
      after = failed;
    }
    ZonedDateTime from = after.atZone(s.schedule().get().zone());
    return Optional.of(s.schedule().get().next(from).toInstant());
  }

  /** The app's settings, else the node's; empty when neither schedules backups. */
  public static Optional<BackupSettings> settingsOf(
      BackupService.Target t, BackupSettings nodeDefaults) {
    Optional<BackupSettings> own;
    try {
      own = BackupSettings.parse(BackupSettings.fromAppSettings(t.settings()));
    } catch (IllegalArgumentException e) {
      return Optional.empty(); // refused at deploy; an older instance may predate the check
    }
    BackupSettings s = own.orElse(nodeDefaults);
    return s.schedule().isPresent() ? Optional.of(s) : Optional.empty();
  }

  /** How many scheduled backups {@code t}'s app keeps: its own setting, else the node's. */
  public static int keepOf(BackupService.Target t, BackupSettings nodeDefaults) {
    try {
      return BackupSettings.parse(BackupSettings.fromAppSettings(t.settings()))
          .orElse(nodeDefaults)
          .keep();
    } catch (IllegalArgumentException e) {
      return nodeDefaults.keep();
    }
  }

  /** node.ini's {@code [backup]} section: {@code schedule} and {@code keep} for every app. */
  public BackupSettings nodeDefaults() {
    try {
      if (!Files.isRegularFile(layout.nodeIni())) {
        return BackupSettings.NONE;
      }
      IniFile ini = IniFile.read(layout.nodeIni());
      Map<String, String> values = new LinkedHashMap<>();
      ini.section("backup").forEach((k, e) -> values.put(k, e.value()));
      return BackupSettings.parse(values).orElse(BackupSettings.NONE);
    } catch (IOException | RuntimeException e) {
      log.warn("node.ini [backup]: {}", e.getMessage());
      return BackupSettings.NONE;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
