package org.silverlining.node.control;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.silverlining.core.BackupSettings;
import org.silverlining.node.backup.BackupScheduler;
import org.silverlining.node.backup.BackupService;
import org.silverlining.node.backup.Checkpoints;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.errors.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The backups kept on this node for each app: their list and schedule, and a backup taken now. */
public final class Backups {
  private static final Logger log = LoggerFactory.getLogger(Backups.class);

  private final LiveApps liveApps;
  private final BackupService backups;
  private final BackupScheduler scheduler;

  public Backups(LiveApps liveApps, BackupService backups, BackupScheduler scheduler) {
    this.liveApps = liveApps;
    this.backups = backups;
    this.scheduler = scheduler;
  }

  /** The schedule, checkpoints and scheduled backups of the app live at {@code location}. */
  public Map<String, Object> list(String location) throws Exception {
    BackupService.Target t = liveApps.at(location);
    Optional<BackupSettings> s = BackupScheduler.settingsOf(t, scheduler.nodeDefaults());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("app", t.app());
    m.put("location", t.location());
    m.put("schedule", s.map(x -> x.schedule().get().text()).orElse(null));
    m.put("keep", s.map(BackupSettings::keep).orElse(null));
    m.put(
        "next", s.flatMap(x -> scheduler.nextDue(t.app(), x)).map(Instant::toString).orElse(null));
    m.put("services", t.services().bind().stream().map(b -> b.service().name()).sorted().toList());
    m.put("backups", backups.list(t.app()));
    return m;
  }

  /** A backup taken by hand: its id and the app. */
  public record Taken(String app, String id, String reason) {}

  /**
   * Backs up the app live at {@code location} now, kept on this node with its scheduled backups
   * (counted in {@code backup.keep}).
   */
  public Taken backUpNow(String location, String who) throws Exception {
    BackupService.Target t = liveApps.at(location);
    Checkpoints.Checkpoint c;
    try {
      c =
          backups.takeNow(
              t.app(),
              t.instance(),
              t.services().bind(),
              who,
              BackupScheduler.keepOf(t, scheduler.nodeDefaults()));
    } catch (BackupException e) {
      throw new ConflictException("the backup of " + t.app() + " failed: " + e.getMessage());
    }
    log.info("backup {} of {} taken by {}", c.id(), t.app(), who);
    return new Taken(t.app(), c.id(), c.reason());
  }
}
