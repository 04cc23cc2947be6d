package org.silverlining.node.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.core.BackupSettings;
import org.silverlining.node.SmallDisk;
import org.silverlining.node.backupformat.BackupException;
import org.silverlining.node.layout.NodeLayout;
import org.silverlining.node.service.FilesService;
import org.silverlining.node.service.Services;
import org.silverlining.node.service.WritableRootService;
import org.silverlining.node.steps.Progress;

/**
 * The node's backup operations on a real files service: a backup sent as an archive stream, a
 * restore from a stream that checks before it touches anything and checkpoints first, restores of
 * checkpoints, and scheduled backups pruned to their number.
 */
class BackupServiceTest {
  @TempDir Path tmp;
  private NodeLayout layout;
  private BackupService backups;
  private List<Services.Bound> app;
  private Path files;
  private final List<String> stages = new ArrayList<>();
  private final Progress progress =
      new Progress() {
        @Override
        public void started(String stage) {}

        @Override
        public void finished(String stage, long millis, String detail) {
          stages.add(stage);
        }

        @Override
        public void note(String text) {}
      };

  @BeforeEach
  void setUp() throws Exception {
    layout = new NodeLayout(tmp.resolve("node"));
    layout.create();
    backups = new BackupService(layout, "test-node");
    FilesService service = new FilesService();
    Services.Bound b =
        new Services.Bound(service, LiveServers.scope("blog", "files", layout.appDir("blog")));
    service.provision(b.scope());
    app = List.of(b);
    files = Path.of(service.environment(b.scope()).get("CONFIG_FILES"));
  }

  private byte[] archiveOfNow(BackupArchive.Compression c) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (BackupService.Snapshot s = backups.snapshot("blog", "blog.1", app)) {
      s.writeTo(out, c);
    }
    return out.toByteArray();
  }

  @Test
  void aStreamedBackupRestoresAndTheDataBeforeIsACheckpoint() throws Exception {
    Files.writeString(files.resolve("a.txt"), "backed up");
    byte[] archive = archiveOfNow(BackupArchive.Compression.GZIP);
    Files.writeString(files.resolve("a.txt"), "changed since");
    Files.writeString(files.resolve("b.txt"), "new since");

    BackupService.Restored r =
        backups.restore("blog", "blog.1", app, new ByteArrayInputStream(archive), progress);

    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("backed up");
    assertThat(files.resolve("b.txt")).doesNotExist();
    assertThat(stages).containsExactly("receive", "verify", "load", "checkpoint", "switch");
    assertThat(r.backupFacts()).containsEntry("app", "blog").containsEntry("node", "test-node");
    assertThat(r.services()).containsExactly("files");

    backups.restoreCheckpoint("blog", "blog.1", app, r.checkpoint(), Progress.NONE);
    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("changed since");
    assertThat(Files.readString(files.resolve("b.txt"))).isEqualTo("new since");
    assertThat(backups.list("blog"))
        .extracting(m -> m.get("kind"))
        .containsExactly("checkpoint", "checkpoint");
  }

  @Test
  void aLinkAmongTheFilesTravelsInAnArchiveAndIsMadeAgain() throws Exception {
    Files.writeString(files.resolve("today.log"), "a line");
    Files.createSymbolicLink(files.resolve("current.log"), Path.of("today.log"));
    byte[] archive = archiveOfNow(BackupArchive.Compression.ZSTD);
    Files.delete(files.resolve("current.log"));

    backups.restore("blog", "blog.1", app, new ByteArrayInputStream(archive), Progress.NONE);

    assertThat(Files.readSymbolicLink(files.resolve("current.log")))
        .isEqualTo(Path.of("today.log"));
    assertThat(Files.readString(files.resolve("current.log"))).isEqualTo("a line");
  }

  @Test
  void zstdAndGzipArchivesOfTheSameDataAreByteIdenticalAndBothRestore() throws Exception {
    Files.createDirectories(files.resolve("d"));
    Files.writeString(files.resolve("d/x.txt"), "x".repeat(10_000));
    Map<String, String> fixed = Map.of("created", "2026-01-01T00:00:00Z");
    for (String suffix : List.of(".tar.gz", ".tar.zst")) {
      Backup.write(app, tmp.resolve("one" + suffix), fixed);
      Backup.write(app, tmp.resolve("two" + suffix), fixed);
      assertThat(Files.readAllBytes(tmp.resolve("two" + suffix)))
          .as(suffix)
          .isEqualTo(Files.readAllBytes(tmp.resolve("one" + suffix)));

      Files.writeString(files.resolve("d/x.txt"), "gone");
      try (InputStream in = Files.newInputStream(tmp.resolve("one" + suffix))) {
        backups.restore("blog", null, app, in, Progress.NONE);
      }
      assertThat(Files.readString(files.resolve("d/x.txt"))).isEqualTo("x".repeat(10_000));
    }
  }

  @Test
  void aTarGzIsPackedAtGzipsFastestLevel() throws Exception {
    Files.writeString(files.resolve("a.txt"), "a line\n".repeat(1000));
    byte[] gz = archiveOfNow(BackupArchive.Compression.GZIP);
    assertThat(gz[0] & 0xff).isEqualTo(0x1f);
    assertThat(gz[1] & 0xff).isEqualTo(0x8b);
    assertThat(gz[8]).as("the header's XFL: 4 for the fastest level").isEqualTo((byte) 4);
  }

  @Test
  void aOnePassReadOfAnArchiveChecksEveryFileWithoutUnpackingIt() throws Exception {
    Files.writeString(files.resolve("a.txt"), "abc");
    Path dir = tmp.resolve("folder");
    Backup.write(app, dir, Map.of());
    assertThat(Backup.verify(BackupArchive.read(packed(dir), null, "x"), "x")).isEmpty();
    Path unpacked = tmp.resolve("unpacked");
    assertThat(Backup.verify(BackupArchive.read(packed(dir), unpacked, "x"), "x")).isEmpty();
    assertThat(Backup.verify(unpacked)).isEmpty();

    Files.writeString(dir.resolve("files/a.txt"), "abd");
    assertThat(Backup.verify(BackupArchive.read(packed(dir), null, "x"), "x"))
        .singleElement()
        .asString()
        .startsWith("files/a.txt: altered");
    Files.delete(dir.resolve("manifest.json"));
    assertThat(Backup.verify(BackupArchive.read(packed(dir), null, "x"), "x"))
        .singleElement()
        .asString()
        .contains("has no manifest.json");
  }

  private static InputStream packed(Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupArchive.pack(dir, out, BackupArchive.Compression.ZSTD);
    return new ByteArrayInputStream(out.toByteArray());
  }

  @Test
  void aTruncatedStreamChangesNothingAndTakesNoCheckpoint() throws Exception {
    Files.writeString(files.resolve("a.txt"), "x".repeat(100_000));
    for (BackupArchive.Compression c : BackupArchive.Compression.values()) {
      byte[] archive = archiveOfNow(c);
      Files.writeString(files.resolve("a.txt"), "current");
      // a plain tar has no trailer that tells its end: it is cut inside a file instead
      int kept = c == BackupArchive.Compression.NONE ? archive.length / 2 : archive.length - 20;
      InputStream cut = new ByteArrayInputStream(Arrays.copyOf(archive, kept));

      assertThatThrownBy(() -> backups.restore("blog", null, app, cut, Progress.NONE))
          .as(c.name())
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("damaged or truncated")
          .hasMessageContaining("nothing was restored");
      assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("current");
      assertThat(backups.list("blog")).isEmpty();
      Files.writeString(files.resolve("a.txt"), "x".repeat(100_000));
    }
  }

  @Test
  void aPlainTarRestoresAndOneCutBetweenEntriesIsRefused() throws Exception {
    Files.writeString(files.resolve("a.txt"), "backed up");
    Files.writeString(files.resolve("z.txt"), "x".repeat(100_000));
    byte[] archive = archiveOfNow(BackupArchive.Compression.NONE);
    Files.writeString(files.resolve("a.txt"), "changed since");

    // cut where an entry starts: what arrives is a well-formed, shorter tar
    int entry = indexOf(archive, "z.txt".getBytes(StandardCharsets.US_ASCII)) - "files/".length();
    InputStream cut = new ByteArrayInputStream(Arrays.copyOf(archive, entry));
    assertThatThrownBy(() -> backups.restore("blog", null, app, cut, Progress.NONE))
        .hasMessageContaining("no manifest.json");
    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("changed since");
    assertThat(backups.list("blog")).isEmpty();

    backups.restore("blog", null, app, new ByteArrayInputStream(archive), Progress.NONE);
    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("backed up");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }

  @Test
  void aBackupStreamArrivesWholeAndACutOneIsRefused() throws Exception {
    Files.writeString(files.resolve("a.txt"), "backed up");
    Files.createDirectories(files.resolve("empty"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Manifest sent = backups.stream("blog", "blog.1", app, out);
    byte[] stream = out.toByteArray();

    Path got = tmp.resolve("got");
    BackupArchive.Contents c =
        BackupStream.read(new ByteArrayInputStream(stream), got, "the node's answer");
    assertThat(Backup.verify(c, "the node's answer")).isEmpty();
    assertThat(c.sums()).isEqualTo(sent.files());
    assertThat(Backup.verify(got)).isEmpty();
    assertThat(got.resolve("files/empty")).isDirectory();
    assertThat(layout.uploadsDir()).isEmptyDirectory();

    for (int kept : new int[] {stream.length - 1, stream.length / 2}) {
      InputStream cut = new ByteArrayInputStream(Arrays.copyOf(stream, kept));
      assertThatThrownBy(() -> BackupStream.read(cut, tmp.resolve("cut" + kept), "x"))
          .hasMessageContaining("cut before its end");
    }
  }

  @Test
  void aBackupThatFailsEndsItsStreamWithTheReason() throws Exception {
    // A named pipe: neither a file, a folder nor a link, so no backup can hold it.
    Process mkfifo = new ProcessBuilder("mkfifo", files.resolve("pipe").toString()).start();
    assertThat(mkfifo.waitFor()).isZero();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThatThrownBy(() -> backups.stream("blog", null, app, out))
        .isInstanceOf(BackupException.class);
    assertThatThrownBy(
            () ->
                BackupStream.read(
                    new ByteArrayInputStream(out.toByteArray()), tmp.resolve("got"), "answer"))
        .hasMessageContaining("the backup failed on the node")
        .hasMessageContaining("pipe is neither a file, a folder nor a symbolic link");
    assertThat(layout.uploadsDir()).isEmptyDirectory();
  }

  @Test
  void somethingThatIsNotAnArchiveIsRefusedSayingWhat() throws Exception {
    InputStream junk = new ByteArrayInputStream("hello, not a backup".getBytes());
    assertThatThrownBy(() -> backups.restore("blog", null, app, junk, Progress.NONE))
        .hasMessage(
            "the uploaded backup: not a backup archive (neither gzip nor zstd); give a .tar.gz or"
                + " .tar.zst; nothing was restored");

    // an archive of something else: it has no manifest, and the node's folders go unnamed
    Path other = tmp.resolve("other");
    Files.createDirectories(other);
    Files.writeString(other.resolve("notes.txt"), "not a backup");
    ByteArrayOutputStream tarGz = new ByteArrayOutputStream();
    BackupArchive.pack(other, tarGz, BackupArchive.Compression.GZIP);
    assertThatThrownBy(
            () ->
                backups.restore(
                    "blog",
                    null,
                    app,
                    new ByteArrayInputStream(tarGz.toByteArray()),
                    Progress.NONE))
        .hasMessage(
            "the uploaded backup is not a backup: it has no manifest.json (make one with silver"
                + " backup); nothing was restored");

    // cut inside gzip's header: the stream ends with no message of its own
    byte[] cut = Arrays.copyOf(archiveOfNow(BackupArchive.Compression.GZIP), 5);
    assertThatThrownBy(
            () -> backups.restore("blog", null, app, new ByteArrayInputStream(cut), Progress.NONE))
        .hasMessageContaining("damaged or truncated (")
        .hasMessageNotContaining("null");
    assertThat(backups.list("blog")).isEmpty();
  }

  @Test
  void aFileThatIsNotAnArchiveIsNamedOnceInWhatIsWrong() throws Exception {
    Path junk = tmp.resolve("junk.tar.gz");
    Files.writeString(junk, "hello, not a backup");
    assertThat(Backup.verify(junk))
        .containsExactly(
            junk + ": not a backup archive (neither gzip nor zstd); give a .tar.gz or .tar.zst");
  }

  @Test
  void aBackupOfOtherServicesIsRefusedListingTheDifference() throws Exception {
    byte[] archive = archiveOfNow(BackupArchive.Compression.GZIP);
    WritableRootService other = new WritableRootService();
    Services.Bound w =
        new Services.Bound(
            other, LiveServers.scope("blog", "writable_root", layout.appDir("blog")));
    other.provision(w.scope());

    assertThatThrownBy(
            () ->
                backups.restore(
                    "blog", null, List.of(w), new ByteArrayInputStream(archive), Progress.NONE))
        .hasMessageContaining("service.files: in the backup, not in the app")
        .hasMessageContaining("service.writable_root: in the app, not in the backup");
    assertThat(backups.list("blog")).isEmpty();
  }

  @Test
  void aRestoreThatFailsHalfwayPutsTheCheckpointBack() throws Exception {
    // A backup that passes every check but cannot be loaded: a link among its files, with a
    // manifest that lists it (as one made by hand might).
    Path bad = tmp.resolve("bad");
    Files.writeString(files.resolve("a.txt"), "from the backup");
    Backup.write(app, bad, Map.of());
    Files.createSymbolicLink(bad.resolve("files/z-link"), bad.resolve("files/a.txt"));
    Manifest m = Manifest.read(bad);
    new Manifest(m.facts(), m.services(), Manifest.checksums(bad)).write(bad);
    assertThat(Backup.verify(bad)).isEmpty();
    Files.writeString(files.resolve("a.txt"), "current");
    Files.writeString(files.resolve("b.txt"), "current too");

    assertThatThrownBy(() -> backups.restoreFrom("blog", app, bad, Progress.NONE))
        .hasMessageContaining("the restore failed")
        .hasMessageContaining("symbolic link")
        .hasMessageContaining("the data as it was before is back (checkpoint");

    assertThat(Files.readString(files.resolve("a.txt"))).isEqualTo("current");
    assertThat(Files.readString(files.resolve("b.txt"))).isEqualTo("current too");
    assertThat(files.resolve("z-link")).doesNotExist();
    assertThat(backups.checkpoints().list("blog")).hasSize(1);
  }

  @Test
  void aFullDiskWhereUploadsArriveRestoresNothingAndLeavesNothing() throws Exception {
    Files.write(files.resolve("a.bin"), incompressible(256 * 1024));
    byte[] archive = archiveOfNow(BackupArchive.Compression.GZIP);
    Files.writeString(files.resolve("a.bin"), "current");

    try (SmallDisk full = SmallDisk.on(layout.uploadsDir(), "64k")) {
      assertThatThrownBy(
              () ->
                  backups.restore(
                      "blog", "blog.1", app, new ByteArrayInputStream(archive), Progress.NONE))
          .isInstanceOf(BackupException.class)
          .hasMessageStartingWith("cannot store the uploaded backup on this machine (cannot write ")
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("nothing was restored")
          .hasMessageNotContaining("damaged");
      assertThat(Files.readString(files.resolve("a.bin"))).isEqualTo("current");
      assertThat(backups.list("blog")).as("no checkpoint is kept").isEmpty();
      try (var left = Files.list(layout.uploadsDir())) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void aBackupOntoAFullDiskFailsSayingSoAndLeavesNothing() throws Exception {
    Files.write(files.resolve("a.bin"), incompressible(256 * 1024));

    try (SmallDisk full = SmallDisk.on(layout.uploadsDir(), "64k")) {
      assertThatThrownBy(() -> archiveOfNow(BackupArchive.Compression.GZIP))
          .hasMessageContaining("No space left on device");
      try (var left = Files.list(layout.uploadsDir())) {
        assertThat(left).isEmpty();
      }
    }
  }

  @Test
  void aRestoreWhoseCheckpointFindsTheDiskFullChangesNothing() throws Exception {
    Files.write(files.resolve("a.bin"), incompressible(256 * 1024));
    byte[] archive = archiveOfNow(BackupArchive.Compression.GZIP);
    Files.write(files.resolve("a.bin"), incompressible(256 * 1024));
    byte[] current = Files.readAllBytes(files.resolve("a.bin"));

    try (SmallDisk full = SmallDisk.on(layout.appCheckpoints("blog"), "64k")) {
      assertThatThrownBy(
              () ->
                  backups.restore(
                      "blog", "blog.1", app, new ByteArrayInputStream(archive), Progress.NONE))
          .hasMessageContaining("No space left on device")
          .hasMessageContaining("nothing was restored");
      assertThat(Files.readAllBytes(files.resolve("a.bin"))).isEqualTo(current);
      try (var left = Files.list(layout.appCheckpoints("blog"))) {
        assertThat(left).as("no partial checkpoint").isEmpty();
      }
    }
    assertThat(backups.list("blog")).isEmpty();
  }

  private static byte[] incompressible(int size) {
    byte[] b = new byte[size];
    new java.util.Random(size).nextBytes(b);
    return b;
  }

  @Test
  void anUnknownCheckpointIsRefused() {
    assertThatThrownBy(
            () -> backups.restoreCheckpoint("blog", null, app, "20200101-000000", Progress.NONE))
        .hasMessageContaining("no checkpoint or scheduled backup '20200101-000000'");
  }

  @Test
  void restoresKeepTheirNewestCheckpointsAndLeaveUpdateCheckpointsAlone() throws Exception {
    backups.checkpoints().take("blog", app, "before update to blog.2", Map.of());
    byte[] archive = archiveOfNow(BackupArchive.Compression.GZIP);
    String last = null;
    for (int i = 0; i < RestoreCheckpoints.KEEP_RESTORE_CHECKPOINTS + 2; i++) {
      last =
          backups
              .restore("blog", "blog.1", app, new ByteArrayInputStream(archive), Progress.NONE)
              .checkpoint();
    }

    List<String> reasons =
        backups.checkpoints().list("blog").stream().map(Checkpoints.Checkpoint::reason).toList();
    assertThat(reasons.stream().filter(r -> r.startsWith(RestoreCheckpoints.RESTORE_REASON)))
        .hasSize(RestoreCheckpoints.KEEP_RESTORE_CHECKPOINTS);
    assertThat(reasons).contains("before update to blog.2");
    assertThat(backups.checkpoints().list("blog").get(0).id()).isEqualTo(last);
  }

  @Test
  void scheduledBackupsArePrunedToKeepAndLeaveCheckpointsAlone() throws Exception {
    backups.checkpoints().take("blog", app, "before something", Map.of());
    for (int i = 0; i < 3; i++) {
      Files.writeString(files.resolve("n.txt"), "v" + i);
      assertThat(backups.takeScheduled("blog", "blog.1", app, "every day 03:00", 2)).isPresent();
    }
    assertThat(backups.scheduled().list("blog")).hasSize(2);
    assertThat(backups.checkpoints().list("blog")).hasSize(1);
    String newest = backups.scheduled().list("blog").get(0).id();
    assertThat(backups.find("blog", newest)).isPresent();
    assertThat(layout.appScheduledBackups("blog").resolve(newest)).isDirectory();

    Files.writeString(files.resolve("n.txt"), "later");
    backups.restoreCheckpoint("blog", null, app, newest, Progress.NONE);
    assertThat(Files.readString(files.resolve("n.txt"))).isEqualTo("v2");
  }

  @Test
  void leftoversOfAnInterruptedRestoreAreRemovedAtStart() throws Exception {
    Path left = Files.createDirectories(layout.uploadsDir().resolve("restore-123/backup"));
    Path config = Files.createDirectories(layout.uploadsDir().resolve("other-upload"));
    backups.clearLeftovers();
    assertThat(left.getParent()).doesNotExist();
    assertThat(config).exists();
  }

  @Test
  void theSchedulerTakesADueBackupAndCountsFromTheNewest() throws Exception {
    BackupService.Target t =
        new BackupService.Target(
            "/",
            "blog",
            "blog.1",
            Map.of("backup.schedule", "every 5 minutes", "backup.keep", "1"),
            () -> app);
    BackupScheduler scheduler = new BackupScheduler(backups, () -> List.of(t), layout);
    Optional<BackupSettings> s = BackupScheduler.settingsOf(t, BackupSettings.NONE);
    assertThat(s).isPresent();
    java.time.Instant firstDue = scheduler.nextDue("blog", s.get()).orElseThrow();

    scheduler.runIfDue(t, s.get(), firstDue.minusSeconds(1));
    assertThat(backups.scheduled().list("blog")).isEmpty();
    scheduler.runIfDue(t, s.get(), firstDue);
    assertThat(backups.scheduled().list("blog")).hasSize(1);
    // the next one counts from the backup just taken, not from the node's start
    assertThat(scheduler.nextDue("blog", s.get()).orElseThrow())
        .isAfter(java.time.Instant.now().plusSeconds(4 * 60));
  }

  @Test
  void anAppWithoutAScheduleFollowsTheNodeAndNeverOptsOut() {
    BackupSettings node = BackupSettings.parse(Map.of("schedule", "every day 03:00")).orElseThrow();
    BackupService.Target none = new BackupService.Target("/", "a", "a.1", Map.of(), () -> app);
    BackupService.Target never =
        new BackupService.Target("/", "a", "a.1", Map.of("backup.schedule", "never"), () -> app);
    assertThat(BackupScheduler.settingsOf(none, node)).contains(node);
    assertThat(BackupScheduler.settingsOf(none, BackupSettings.NONE)).isEmpty();
    assertThat(BackupScheduler.settingsOf(never, node)).isEmpty();
  }
}
