package org.silverlining.node.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.silverlining.core.AppConfig;
import org.silverlining.node.config.ConfigChange;
import org.silverlining.node.config.ConfigChecker;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.config.Revision;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.state.StateStore;

/**
 * Settles the configuration the new instance runs with: the candidate (uploaded, an earlier
 * revision, none, or the app's {@code config.default} when nothing was ever uploaded) must satisfy
 * {@code config.required} and the app's {@code config.checker}; only then is it recorded as a
 * revision. The instance records the revision it runs with. Undo records the revision before again
 * (history only grows).
 */
final class ConfigStep implements DeployStep {
  private final ConfigStores stores;
  private final StateStore state;

  ConfigStep(ConfigStores stores, StateStore state) {
    this.stores = stores;
    this.state = state;
  }

  @Override
  public String name() {
    return "config";
  }

  @Override
  public String run(Deployment d) throws Exception {
    ConfigRevisions revisions = stores.of(d.app);
    Optional<Revision> before = revisions.current();
    d.configBefore = before.map(Revision::number).orElse(0);
    ConfigChange change = d.configChange;
    AppConfig config = d.config;
    Path scratch = Files.createTempDirectory(d.instanceDir.getParent(), ".config-");
    try {
      Path candidate;
      switch (change.kind()) {
        case UPLOAD -> candidate = change.source();
        case REVERT -> {
          candidate = scratch.resolve("candidate");
          revisions.dump(change.revision(), candidate);
        }
        case DELETE -> candidate = Files.createDirectory(scratch.resolve("candidate"));
        default -> {
          String dflt = config.settings().getOrDefault("config.default", "").strip();
          if (before.isEmpty() && !dflt.isEmpty()) {
            candidate = d.instanceDir.resolve(dflt).normalize();
            if (!candidate.startsWith(d.instanceDir) || !Files.isDirectory(candidate)) {
              throw new ConfigRejectedException(
                  "config.default = " + dflt + " is not a folder of the app");
            }
            change = ConfigChange.upload(candidate, "Default configuration (config.default)");
          } else {
            candidate = revisions.currentDir();
          }
        }
      }
      if (required(config) && isEmpty(candidate)) {
        throw new ConfigRejectedException(
            "config.required = true, and "
                + (change.kind() == ConfigChange.Kind.KEEP
                    ? "no configuration was ever uploaded; pass --config DIR"
                    : "this would leave the app without a configuration"));
      }
      ConfigChecker.check(config, d.instanceDir, candidate);
      Revision now =
          switch (change.kind()) {
            case UPLOAD -> revisions.commit(candidate, d.deployedBy, change.message());
            case REVERT -> revisions.revert(change.revision(), d.deployedBy);
            case DELETE -> revisions.delete(d.deployedBy);
            default -> before.orElse(null);
          };
      int number = now == null ? 0 : now.number();
      d.configRecorded = number != d.configBefore;
      d.configRevision = number;
      state.setConfigRevision(d.instance, number);
      return number == 0
          ? "no configuration"
          : "revision " + number + (d.configRecorded ? " recorded" : " unchanged");
    } finally {
      Trees.delete(scratch);
    }
  }

  static boolean required(AppConfig config) {
    return Boolean.parseBoolean(config.settings().getOrDefault("config.required", "false").strip());
  }

  private static boolean isEmpty(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return true;
    }
    try (var s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }

  @Override
  public void undo(Deployment d) throws Exception {
    if (!d.configRecorded) {
      return;
    }
    ConfigRevisions revisions = stores.of(d.app);
    if (d.configBefore > 0) {
      revisions.revert(d.configBefore, d.deployedBy);
    } else {
      revisions.delete(d.deployedBy);
    }
  }
}
