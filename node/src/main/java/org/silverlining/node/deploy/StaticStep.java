package org.silverlining.node.deploy;

import java.nio.file.Path;
import org.silverlining.node.staticfiles.Precompressor;
import org.silverlining.node.staticfiles.StaticFolders;

/**
 * Prepares the new instance's {@code static/} folder for serving: each text file gets its gzip copy
 * beside it (see {@link Precompressor}). Its files are inside the instance's folder, which the
 * unpack step's undo removes.
 */
final class StaticStep implements DeployStep {
  @Override
  public String name() {
    return "static";
  }

  @Override
  public String run(Deployment d) throws Exception {
    Path dir = StaticFolders.versioned(d.instanceDir);
    if (dir == null) {
      return "no static folder";
    }
    return Precompressor.compress(dir).toString();
  }
}
