package org.silverlining.node.staticfiles;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.silverlining.core.AppConfig;
import org.silverlining.core.InstanceName;
import org.silverlining.core.Location;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.state.StateStore;

/**
 * {@code $STATIC_URL} of each deployment with a {@code static/} folder: {@code BASE<location
 * prefix>/static/<version>}, where BASE is the app's {@code static_url} (app.ini, else the global
 * configuration's), such as a CDN that pulls from the node or one in front of the bucket the node
 * pushes to; else, with a {@code cdn} push, the bucket's own URL; else empty (the node's own
 * versioned URL).
 */
public final class StaticUrls {
  /** The app.ini and global configuration key of a CDN base URL. */
  public static final String KEY = AppConfig.STATIC_URL;

  private final NodeLayout layout;
  private final StateStore state;
  private final Function<String, Map<String, String>> globalView;
  private final BiFunction<Map<String, String>, Map<String, String>, String> pushBase;
  private final boolean devel;
  private volatile boolean minified;

  /**
   * @param globalView the global configuration as an app sees it
   * @param pushBase the public URL of the storage an app's static files are pushed to, from its
   *     app.ini settings and its view of the global configuration; null: no push
   * @param devel a development node: the deployment's own URL, whatever the base (a CDN has no copy
   *     of files being edited)
   */
  public StaticUrls(
      NodeLayout layout,
      StateStore state,
      Function<String, Map<String, String>> globalView,
      BiFunction<Map<String, String>, Map<String, String>, String> pushBase,
      boolean devel) {
    this.layout = layout;
    this.state = state;
    this.globalView = globalView;
    this.pushBase = pushBase;
    this.devel = devel;
  }

  /** {@code $STATIC_URL} of deployment {@code instance}, or {@code null} when it has none. */
  public String of(String instance) throws IOException, SQLException {
    StateStore.InstanceRecord r = state.instance(instance).orElse(null);
    if (r == null) {
      return null;
    }
    java.nio.file.Path dir = layout.instanceDir(r.app(), instance);
    if (StaticFolders.versioned(dir) == null) {
      return null;
    }
    String base = devel ? "" : base(AppConfig.load(dir, false).settings(), r.app());
    return url(base, Location.parse(r.location()).path(), InstanceName.parse(instance).version());
  }

  /** The base of an app with app.ini {@code settings}: see the class comment. */
  private String base(Map<String, String> settings, String app) {
    Map<String, String> global = globalView.apply(app);
    String base = settings.getOrDefault(KEY, "").strip();
    if (base.isEmpty()) {
      base = global.getOrDefault(KEY, "").strip();
    }
    if (base.isEmpty()) {
      String bucket = pushBase.apply(settings, global);
      base = bucket == null ? "" : bucket;
    }
    return base;
  }

  /**
   * A development node serves what production will: combinations minified, production URLs in
   * {@code SILVER_RESOURCES_FILE}, HTML not rewritten ({@code silver serve --minify}).
   */
  public void serveMinified() {
    minified = true;
  }

  /** Whether apps get production resource URLs: on a node, or a development one that minifies. */
  public boolean productionResources() {
    return !devel || minified;
  }

  /**
   * Writes {@code SILVER_RESOURCES_FILE} of deployment {@code instance} and gives its path, or
   * {@code null} when the deployment has no {@code resources.ini}.
   */
  public java.nio.file.Path resourcesFile(String instance, String staticUrl) throws IOException {
    InstanceName name = InstanceName.parse(instance);
    return ResourcePlan.publish(
        layout.instanceDir(name.app(), instance), staticUrl, productionResources());
  }

  /** {@code base + prefix + /static/ + version}, without a doubled slash. */
  public static String url(String base, String locationPath, String version) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    String prefix = locationPath.equals("/") ? "" : locationPath;
    return b + prefix + "/" + StaticFolders.STATIC + "/" + version;
  }
}
