package org.silverlining.node.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.silverlining.node.layout.Trees;

/**
 * The node's support files for the runtimes, written from the node's jar when it starts, so they
 * always match the running node: Python's loader ({@code silverlining_boot}, {@code
 * silverlining_wsgi}, the {@code silver run} and {@code silver shell} entry points), the {@code
 * silversupport} package, and the pseudo-terminal relay of {@code silver shell}.
 */
public final class RuntimeSupport {
  private static final List<String> FILES =
      List.of(
          "python/silverlining_boot.py",
          "python/silverlining_wsgi.py",
          "python/silverlining_run.py",
          "python/silverlining_shell.py",
          "python/silversupport/__init__.py",
          "python/silversupport/env.py",
          "python/silversupport/secret.py",
          "python/silversupport/resources.py",
          "silverlining_pty.py");

  private RuntimeSupport() {}

  /** Empties {@code dir} and writes every support file into it. */
  public static void install(Path dir) throws IOException {
    Trees.delete(dir);
    for (String name : FILES) {
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      try (InputStream in = RuntimeSupport.class.getResourceAsStream(name)) {
        if (in == null) {
          throw new IOException("the node's jar lacks its runtime support file " + name);
        }
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
