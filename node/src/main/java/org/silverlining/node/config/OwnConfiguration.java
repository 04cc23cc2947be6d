package org.silverlining.node.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.silverlining.core.AppConfig;

/**
 * Returns an app's configuration to the revision one of its instances was deployed with — its
 * <em>own</em> revision — for {@code silver activate --with-config} and rollbacks. The files of
 * that revision become the newest revision, checked first like any change ({@code config.required},
 * {@code config.checker}); nothing is recorded when the newest revision already has those files.
 * History only grows: the return is a new revision, and {@link #undo} records the one before again.
 */
public final class OwnConfiguration {
  private OwnConfiguration() {}

  /**
   * What a return did: the instance's own revision (-1: not recorded), the newest before, the
   * newest after (equal to {@code before} when nothing was recorded), and whether the newest has
   * exactly the own revision's files.
   */
  public record Result(int own, int before, int after, boolean ownFiles) {
    public boolean recorded() {
      return after != before;
    }
  }

  /** Where the configuration stands for an instance whose own revision is {@code own}. */
  public static Result plan(ConfigRevisions revisions, int own)
      throws IOException, ConfigRejectedException {
    int current = revisions.current().map(Revision::number).orElse(0);
    boolean same = own == current || (own >= 0 && revisions.sameFiles(own, current));
    return new Result(own, current, current, same);
  }

  /**
   * Makes the files of revision {@code own} (0: no configuration) the newest revision of {@code
   * revisions}, after checking them with the app's {@code config} in {@code instanceDir}.
   *
   * @throws ConfigRejectedException when the checks refuse it; nothing is recorded then
   */
  public static Result restore(
      ConfigRevisions revisions,
      int own,
      AppConfig config,
      Path instanceDir,
      String instance,
      String who)
      throws IOException, ConfigRejectedException {
    Result plan = plan(revisions, own);
    int before = plan.before();
    if (plan.ownFiles()) {
      return plan;
    }
    Path scratch = Files.createTempDirectory(instanceDir.getParent(), ".config-");
    try {
      Path candidate = scratch.resolve("candidate");
      if (own == 0) {
        Files.createDirectory(candidate);
      } else {
        revisions.dump(own, candidate);
      }
      boolean empty;
      try (Stream<Path> s = Files.list(candidate)) {
        empty = s.findAny().isEmpty();
      }
      if (empty
          && Boolean.parseBoolean(
              config.settings().getOrDefault("config.required", "false").strip())) {
        throw new ConfigRejectedException(
            instance
                + " was deployed without a configuration, and config.required = true; activate"
                + " it without --with-config");
      }
      ConfigChecker.check(config, instanceDir, candidate);
      String message =
          own == 0
              ? "Delete the configuration (as " + instance + " was deployed)"
              : "Return to revision " + own + " (with " + instance + ")";
      Revision now = revisions.commit(candidate, who, message);
      return new Result(own, before, now.number(), true);
    } finally {
      try (Stream<Path> s = Files.walk(scratch)) {
        for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  /** Records the revision that was newest before {@code done} again, when it recorded one. */
  public static void undo(ConfigRevisions revisions, Result done, String who)
      throws IOException, ConfigRejectedException {
    if (!done.recorded()) {
      return;
    }
    if (done.before() > 0) {
      revisions.revert(done.before(), who);
    } else {
      revisions.delete(who);
    }
  }
}
