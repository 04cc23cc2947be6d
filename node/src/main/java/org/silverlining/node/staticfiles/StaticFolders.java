package org.silverlining.node.staticfiles;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.silverlining.core.AppConfig;
import org.silverlining.core.InstanceName;
import org.silverlining.core.Runtime;
import org.silverlining.node.layout.NodeLayout;

/** Which folders of a deployment are served as files. */
public final class StaticFolders {
  /** The folder of an app whose files the front serves, at the root and under $STATIC_URL. */
  public static final String STATIC = "static";

  private StaticFolders() {}

  /** A deployment's {@code static/} folder, or {@code null} when it has none. */
  public static Path versioned(Path instanceDir) {
    Path s = instanceDir.resolve(STATIC);
    return Files.isDirectory(s) ? s : null;
  }

  /**
   * The folder answered at the location's root: {@code static/}, else a static app's own folder,
   * else {@code null}.
   */
  public static Path atRoot(Path instanceDir, AppConfig config) {
    Path s = versioned(instanceDir);
    if (s != null) {
      return s;
    }
    return config.runtime() == Runtime.STATIC ? instanceDir : null;
  }

  /**
   * The {@code static/} folder of a deployment named {@code APP.VERSION} still in {@code layout},
   * or {@code null}.
   */
  public static Function<String, Path> deploymentsIn(NodeLayout layout) {
    return instance -> {
      InstanceName name = InstanceName.parse(instance);
      return versioned(layout.instanceDir(name.app(), instance));
    };
  }
}
