package org.silverlining.node.control;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.silverlining.node.config.ConfigRejectedException;
import org.silverlining.node.config.ConfigRevisions;
import org.silverlining.node.config.ConfigStores;
import org.silverlining.node.config.FileInfo;
import org.silverlining.node.config.GlobalConfig;
import org.silverlining.node.config.OwnConfiguration;
import org.silverlining.node.config.Revision;
import org.silverlining.node.errors.ConflictException;
import org.silverlining.node.errors.InvalidParameterException;
import org.silverlining.node.errors.NotFoundException;
import org.silverlining.node.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the management API shows and changes of configuration: each app's revisions and their files,
 * and the node's global configuration with its secret values hidden.
 */
public final class ConfigView {
  private static final Logger log = LoggerFactory.getLogger(ConfigView.class);

  private final StateStore state;
  private final Locations locations;
  private final ConfigStores configs;
  private final GlobalConfig globalConfig;

  public ConfigView(
      StateStore state, Locations locations, ConfigStores configs, GlobalConfig globalConfig) {
    this.state = state;
    this.locations = locations;
    this.configs = configs;
    this.globalConfig = globalConfig;
  }

  /**
   * The configuration history of an app: the revision that is current, the one the live instance
   * was deployed with, and whether it runs with its own files; the revisions, newest first.
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record History(
      String location,
      String app,
      String active,
      int current,
      int activeRevision,
      boolean activeRunsOwn,
      List<RevisionEntry> revisions) {}

  /** One configuration revision: its number, author, time, message and number of files. */
  public record RevisionEntry(int revision, String who, String when, String message, int files) {}

  /** The configuration history of the app at {@code location}, and what each instance runs. */
  public History history(String location) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    ConfigRevisions revisions = configs.of(r.app());
    List<RevisionEntry> list = new ArrayList<>();
    for (Revision rev : revisions.revisions()) {
      list.add(
          new RevisionEntry(
              rev.number(), rev.who(), rev.when().toString(), rev.message(), rev.files()));
    }
    // Every instance reads the newest revision (SILVER_APP_CONFIG is the current link); say so when
    // the live one was deployed with other files (activated without --with-config).
    boolean runsOwn =
        r.active() == null
            || OwnConfiguration.plan(revisions, state.configRevision(r.active()).orElse(-1))
                .ownFiles();
    return new History(
        r.location(),
        r.app(),
        r.active(),
        revisions.current().map(Revision::number).orElse(0),
        r.active() == null ? 0 : state.configRevision(r.active()).orElse(0),
        runsOwn,
        list);
  }

  /** The files of one revision: path and size each. */
  public record RevisionFiles(String location, int revision, List<FileInfo> files) {}

  /** The files of revision {@code revision} (0: the newest) of the app at {@code location}. */
  public RevisionFiles files(String location, int revision) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    ConfigRevisions revisions = configs.of(r.app());
    int n = revision > 0 ? revision : revisions.current().map(Revision::number).orElse(0);
    List<FileInfo> files = new ArrayList<>();
    if (n > 0) {
      try {
        files.addAll(revisions.files(n));
      } catch (ConfigRejectedException e) {
        throw new NotFoundException(e.getMessage());
      }
    }
    return new RevisionFiles(r.location(), n, files);
  }

  /**
   * Writes revision {@code revision} (0: the newest) of the app at {@code location} into the empty
   * folder {@code target}.
   */
  public void dump(String location, int revision, Path target) throws Exception {
    StateStore.LocationRecord r = locations.record(location);
    ConfigRevisions revisions = configs.of(r.app());
    int n = revision > 0 ? revision : revisions.current().map(Revision::number).orElse(0);
    if (n == 0) {
      Files.createDirectories(target);
      return;
    }
    try {
      revisions.dump(n, target);
    } catch (ConfigRejectedException e) {
      throw new NotFoundException(e.getMessage());
    }
  }

  /**
   * The revision number {@code text} names at {@code location}: a number, or PREV; a refusal names
   * {@code parameter}, the request's field that gave {@code text}.
   */
  public int revisionNamed(String location, String parameter, String text) throws Exception {
    if (text.equalsIgnoreCase("prev")) {
      StateStore.LocationRecord r = locations.record(location);
      List<Revision> all = configs.of(r.app()).revisions();
      if (all.size() < 2) {
        throw new ConflictException("there is no configuration revision before the current one");
      }
      return all.get(1).number();
    }
    try {
      return Integer.parseInt(text.strip());
    } catch (NumberFormatException e) {
      throw new InvalidParameterException(
          parameter, "a revision is a number or PREV, not '" + text + "'");
    }
  }

  /**
   * The global configuration: every section, or {@code app}'s merged view; the values of secret
   * keys are replaced by {@link #HIDDEN} unless {@code showSecrets}.
   */
  public Map<String, Object> global(String app, boolean showSecrets) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    Set<String> secrets = globalConfig.secretKeys();
    if (app == null) {
      Map<String, Map<String, String>> sections = new LinkedHashMap<>();
      globalConfig
          .sections()
          .forEach((name, values) -> sections.put(name, hidden(values, secrets, showSecrets)));
      m.put("sections", sections);
    } else {
      m.put("app", app);
      m.put("values", hidden(globalConfig.viewOf(app), secrets, showSecrets));
    }
    m.put("secret_keys", secrets);
    m.put("secrets_shown", showSecrets);
    List<Revision> revs = globalConfig.revisions();
    m.put("revision", revs.isEmpty() ? 0 : revs.get(0).number());
    return m;
  }

  /** What a secret global value shows in place of its value. */
  public static final String HIDDEN = "********";

  private static Map<String, String> hidden(
      Map<String, String> values, Set<String> secrets, boolean show) {
    Map<String, String> out = new TreeMap<>(values);
    if (!show) {
      out.replaceAll((k, v) -> secrets.contains(k) ? HIDDEN : v);
    }
    return out;
  }

  /**
   * Sets or unsets a global key (for {@code app} only when given), marking it secret when {@code
   * secret}, and republishes every app's file.
   */
  /** A change of the global configuration: the revision it made, the key, whether it is set. */
  public record GlobalChange(int revision, String key, boolean set) {}

  public GlobalChange changeGlobal(String app, String key, String value, boolean secret, String who)
      throws Exception {
    int revision;
    try {
      revision = globalConfig.change(app, key, value, secret, who);
    } catch (ConfigRejectedException e) {
      throw new InvalidParameterException(value == null ? "key" : "value", e.getMessage());
    }
    for (String a : state.apps()) {
      globalConfig.publish(a);
    }
    log.info("global configuration revision {} by {}", revision, who);
    return new GlobalChange(revision, key, value != null);
  }
}
