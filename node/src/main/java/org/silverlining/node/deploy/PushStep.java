package org.silverlining.node.deploy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.silverlining.core.InstanceName;
import org.silverlining.node.cdn.CdnSettings;
import org.silverlining.node.cdn.S3Push;
import org.silverlining.node.staticfiles.StaticFolders;
import org.silverlining.node.staticfiles.StaticUrls;

/**
 * Pushes the new instance's {@code static/} (with what the {@code resources} and {@code static}
 * stages wrote) to the app's {@code cdn}, at {@code PREFIX/<location prefix>/static/<version>/},
 * before anything is started or switched: a failed upload fails the update while the previous
 * deployment serves. The undo deletes what was uploaded.
 */
final class PushStep implements DeployStep {
  private final BiFunction<Map<String, String>, String, CdnSettings> cdnOf;

  /**
   * {@code cdnOf}: the push of an app, from its app.ini settings and its name (with its view of the
   * global configuration); null: none.
   */
  PushStep(BiFunction<Map<String, String>, String, CdnSettings> cdnOf) {
    this.cdnOf = cdnOf;
  }

  @Override
  public String name() {
    return "push";
  }

  @Override
  public String run(Deployment d) throws Exception {
    Path dir = StaticFolders.versioned(d.instanceDir);
    CdnSettings cdn = cdnOf.apply(d.config.settings(), d.app);
    if (cdn == null) {
      return "no cdn";
    }
    if (dir == null) {
      return "no static folder";
    }
    String version = InstanceName.parse(d.instance).version();
    String keyRoot = StaticUrls.url("", d.location.path(), version).substring(1);
    try (S3Push push = new S3Push(cdn)) {
      S3Push.Result r = push.upload(dir, keyRoot, d.progress::note);
      d.pushed = new Pushed(cdn, r.keys());
      return r.toString();
    }
  }

  @Override
  public void undo(Deployment d) throws Exception {
    if (d.pushed != null) {
      try (S3Push push = new S3Push(d.pushed.cdn())) {
        push.delete(d.pushed.keys());
      }
    }
  }

  /** What the stage uploaded, for its undo. */
  record Pushed(CdnSettings cdn, List<String> keys) {}
}
