package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.FilesService;
import org.silverlining.node.service.Service;
import org.silverlining.node.service.ServiceException;
import org.silverlining.node.service.ServiceScope;
import org.silverlining.node.service.Services;
import org.silverlining.node.steps.Progress;

/**
 * A restore runs as steps, each recorded before it acts ({@code backups/APP/restore.json}) and
 * undone, last first, when a later one fails; a node stopped during the switch, with part of the
 * data replaced, puts the data before back when it starts. Two folder services, the second of which
 * fails or "crashes" when its restored data is put in place.
 */
class RestoreStepsTest {
  @TempDir Path tmp;
  private NodeLayout layout;
  private final Shelf shelf = new Shelf();
  private final List<String> started = new ArrayList<>();
  private final Progress progress =
      new Progress() {
        @Override
        public void started(String stage) {
          started.add(stage);
        }

        @Override
        public void finished(String stage, long millis, String detail) {}

        @Override
        public void note(String text) {}
      };

  /** What stops the restore where a node stop would: nothing after it runs. */
  private static final class Crash extends Error {
    private static final long serialVersionUID = 1L;
  }

  /** What the second service does when its restored data is put in place, before doing it. */
  @FunctionalInterface
  private interface AtSwitch {
    void run() throws Exception;
  }

  /** A folder service named {@code shelf} that runs {@link #atSwitch} as its restore starts. */
  private static final class Shelf implements Service {
    private final FilesService folder = new FilesService();
    AtSwitch atSwitch = () -> {};

    @Override
    public String name() {
      return "shelf";
    }

    @Override
    public void provision(ServiceScope scope) throws ServiceException {
      folder.provision(scope);
    }

    @Override
    public Map<String, String> environment(ServiceScope scope) throws ServiceException {
      return folder.environment(scope);
    }

    @Override
    public void clear(ServiceScope scope) throws ServiceException {
      folder.clear(scope);
    }

    @Override
    public void drop(ServiceScope scope) throws ServiceException {
      folder.drop(scope);
    }

    @Override
    public String backup(ServiceScope scope, Path dir) throws ServiceException {
      return folder.backup(scope, dir);
    }

    @Override
    public void restore(ServiceScope scope, Path dir) throws ServiceException {
      try {
        atSwitch.run();
      } catch (ServiceException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new ServiceException(e.toString(), e);
      }
      folder.restore(scope, dir);
    }
  }

  /** The app's two services on the node at {@code root}, provisioned. */
  private List<Services.Bound> services(NodeLayout at) throws Exception {
    FilesService files = new FilesService();
    Services.Bound a =
        new Services.Bound(files, LiveServers.scope("blog", "files", at.appDir("blog")));
    Services.Bound b =
        new Services.Bound(
            shelf, LiveServers.scope("blog", "shelf", at.appDir("blog").resolve("shelf")));
    files.provision(a.scope());
    shelf.provision(b.scope());
    return List.of(a, b);
  }

  private static Path fileOf(Services.Bound b) throws Exception {
    return Path.of(b.service().environment(b.scope()).get("CONFIG_FILES")).resolve("note.txt");
  }

  private List<Services.Bound> app;
  private Path backup;

  @BeforeEach
  void setUp() throws Exception {
    layout = new NodeLayout(tmp.resolve("node"));
    layout.create();
    app = services(layout);
    for (Services.Bound b : app) {
      Files.writeString(fileOf(b), "from the backup");
    }
    backup = tmp.resolve("backup");
    Backup.write(app, backup, Map.of());
    for (Services.Bound b : app) {
      Files.writeString(fileOf(b), "current");
    }
  }

  @Test
  void aSwitchThatFailsHalfwayIsUndoneAndTheDataBeforeIsBack() throws Exception {
    shelf.atSwitch =
        () -> {
          assertThat(Files.readString(fileOf(app.get(0))))
              .as("the first service was switched")
              .isEqualTo("from the backup");
          assertThat(RestoreJournal.find(layout, "blog").orElseThrow().step())
              .as("the switch is recorded before it acts")
              .isEqualTo("switch");
          shelf.atSwitch = () -> {}; // putting the data before back restores it too
          throw new ServiceException("the disk is gone");
        };
    BackupService backups = new BackupService(layout, "test-node");

    assertThatThrownBy(() -> backups.restoreFrom("blog", app, backup, progress))
        .hasMessageStartingWith("the restore failed (service.shelf")
        .hasMessageContaining("the disk is gone")
        .hasMessageContaining("the data as it was before is back (checkpoint");

    assertThat(started).containsExactly("verify", "load", "checkpoint", "switch");
    for (Services.Bound b : app) {
      assertThat(Files.readString(fileOf(b))).isEqualTo("current");
    }
    assertThat(RestoreJournal.find(layout, "blog")).as("nothing left to recover").isEmpty();
    assertThat(backups.checkpoints().list("blog")).hasSize(1);
  }

  @Test
  void aRefusedBackupUndoesTheCheckpointAndTheLoadBegunBesideTheReceive() throws Exception {
    Files.writeString(backup.resolve("files/note.txt"), "tampered");
    BackupService backups = new BackupService(layout, "test-node");

    assertThatThrownBy(() -> backups.restoreFrom("blog", app, backup, progress))
        .hasMessageStartingWith("the backup is damaged; nothing was restored");

    assertThat(started).containsExactly("verify");
    assertThat(backups.list("blog")).as("the checkpoint begun is deleted").isEmpty();
    try (Stream<Path> s = Files.list(layout.appCheckpoints("blog"))) {
      assertThat(s).as("not even partly kept").isEmpty();
    }
    assertThat(RestoreJournal.find(layout, "blog")).isEmpty();
  }

  @Test
  void aNodeStoppedDuringTheSwitchPutsTheDataBeforeBackWhenItStarts() throws Exception {
    // The disk as a kill -9 during the switch leaves it: a copy of the node's folders made there.
    Path image = tmp.resolve("image");
    shelf.atSwitch =
        () -> {
          copy(tmp.resolve("node"), image.resolve("node"));
          throw new Crash();
        };
    BackupService backups = new BackupService(layout, "test-node");
    assertThatThrownBy(() -> backups.restoreFrom("blog", app, backup, progress))
        .isInstanceOf(Crash.class);

    NodeLayout after = new NodeLayout(image.resolve("node"));
    shelf.atSwitch = () -> {};
    List<Services.Bound> there = services(after);
    assertThat(Files.readString(fileOf(there.get(0)))).isEqualTo("from the backup");
    assertThat(Files.readString(fileOf(there.get(1)))).isEqualTo("current");
    RestoreJournal.Interrupted record = RestoreJournal.find(after, "blog").orElseThrow();
    assertThat(record.step()).isEqualTo("switch");
    assertThat(record.what()).isEqualTo("restore of " + backup);

    BackupService restarted = new BackupService(after, "test-node");
    restarted.finishUnfinished(
        List.of(new BackupService.Target("blog.test", "blog", "blog.1", Map.of(), () -> there)));

    for (Services.Bound b : there) {
      assertThat(Files.readString(fileOf(b))).as(b.service().name()).isEqualTo("current");
    }
    assertThat(restarted.checkpoints().list("blog"))
        .singleElement()
        .satisfies(c -> assertThat(c.id()).isEqualTo(record.checkpoint()));
    assertThat(RestoreJournal.find(after, "blog")).as("recovered once").isEmpty();
  }

  @Test
  void aNodeStoppedBeforeTheSwitchLeavesTheDataAsItWasAndForgetsTheRestore() throws Exception {
    BackupService backups = new BackupService(layout, "test-node");
    RestoreJob job =
        new RestoreJob("blog", null, app, backup, null, null, "restore of " + backup, Map.of());
    new RestoreJournal(layout, job).started("load");

    backups.finishUnfinished(
        List.of(new BackupService.Target("blog.test", "blog", "blog.1", Map.of(), () -> app)));

    for (Services.Bound b : app) {
      assertThat(Files.readString(fileOf(b))).isEqualTo("current");
    }
    assertThat(RestoreJournal.find(layout, "blog")).isEmpty();
    assertThat(backups.list("blog")).isEmpty();
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
