package org.silverlining.node.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.silverlining.core.AppArchive;
import org.silverlining.core.AppConfig;
import org.silverlining.core.CronTable;
import org.silverlining.core.InstanceName;
import org.silverlining.core.Runtime;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.layout.Trees;
import org.silverlining.node.state.StateStore;

/**
 * Names the new instance ({@code APP.YYYYMMDD_NNN}), records it, and unpacks the upload into its
 * folder — first beside it, then renamed, so a folder with the final name is always complete.
 */
final class UnpackStep implements DeployStep {
  private final NodeLayout layout;
  private final StateStore state;

  UnpackStep(NodeLayout layout, StateStore state) {
    this.layout = layout;
    this.state = state;
  }

  @Override
  public String name() {
    return "unpack";
  }

  @Override
  public String run(Deployment d) throws Exception {
    layout.createApp(d.app);
    synchronized (UnpackStep.class) {
      InstanceName latest =
          state.instancesOf(d.app).stream()
              .map(r -> InstanceName.parse(r.name()))
              .max(Comparator.naturalOrder())
              .orElse(null);
      d.instance = InstanceName.next(d.app, LocalDate.now(ZoneOffset.UTC), latest).toString();
      state.addInstance(d.instance, d.app, d.location.toString());
    }
    d.instanceDir = layout.instanceDir(d.app, d.instance);
    // The runner undoes only completed steps: a failure here takes back its own record and files.
    try {
      return unpack(d);
    } catch (Exception e) {
      try {
        undo(d);
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static String unpack(Deployment d) throws IOException {
    Path partial = d.instanceDir.resolveSibling(d.instance + ".partial");
    List<AppArchive.FileEntry> files;
    try (InputStream in = d.archive == null ? null : Files.newInputStream(d.archive)) {
      files = in == null ? copy(d.sourceDir, partial) : AppArchive.unpack(in, partial);
    } catch (IOException | RuntimeException e) {
      Trees.delete(partial);
      throw e;
    }
    Files.move(partial, d.instanceDir);
    d.files = files;
    d.config = AppConfig.load(d.instanceDir, false).withAppName(d.app);
    d.config.warnings().forEach(d.progress::note);
    CronTable.load(d.instanceDir.resolve(AppConfig.FILE_NAME)); // a [cron] that does not parse
    checkRunner(d);
    long bytes = files.stream().mapToLong(AppArchive.FileEntry::size).sum();
    return d.instance + ": " + files.size() + " files, " + (bytes / 1024) + " KiB";
  }

  /** Copies an instance's files (a configuration change runs the same code again). */
  private static List<AppArchive.FileEntry> copy(Path from, Path to) throws IOException {
    List<AppArchive.FileEntry> files = new java.util.ArrayList<>();
    try (java.util.stream.Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        Files.copy(
            p,
            target,
            java.nio.file.LinkOption.NOFOLLOW_LINKS,
            java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          files.add(
              new AppArchive.FileEntry(
                  from.relativize(p).toString(),
                  Files.size(p),
                  org.silverlining.core.Hashing.sha256(p)));
        }
      }
    }
    return files;
  }

  private static void checkRunner(Deployment d) {
    AppConfig c = d.config;
    if (c.runtime() == Runtime.JAVA
        && (c.runner().endsWith(".jar") || c.runner().endsWith(".java"))
        && !Files.isRegularFile(d.instanceDir.resolve(c.runner()))) {
      throw new IllegalStateException(
          "the runner "
              + c.runner()
              + " is not in the upload; build it first (e.g. mvn package) or check .silverignore");
    }
  }

  @Override
  public void undo(Deployment d) throws Exception {
    if (d.instanceDir != null) {
      Trees.delete(d.instanceDir);
    }
    if (d.instance != null) {
      state.setInstanceStatus(d.instance, "failed", "");
    }
  }
}
