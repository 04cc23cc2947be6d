package org.silverlining.node.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRevisionsTest {
  @TempDir Path tmp;
  private Path repoDir;
  private Path currentDir;
  private ConfigRevisions revisions;

  @BeforeEach
  void open() throws IOException {
    repoDir = tmp.resolve("config/repo");
    currentDir = tmp.resolve("config/current");
    revisions = ConfigRevisions.open(repoDir, currentDir);
  }

  @AfterEach
  void close() {
    revisions.close();
  }

  @Test
  void aFolderWithNestedFoldersAndBinaryFilesComesBackExactlyFromListFilesAndDump()
      throws Exception {
    Path source = folder("source", Map.of("app.ini", "name = x\n", "keys/api/prod.key", "k"));
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    Files.write(source.resolve("keys/api/blob.bin"), binary);
    Files.createDirectories(source.resolve("bin"));
    Path script = Files.writeString(source.resolve("bin/check.sh"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

    Revision r = revisions.commit(source, "alice", "first upload");

    assertThat(r.number()).isEqualTo(1);
    assertThat(r.files()).isEqualTo(4);
    assertThat(r.commitId()).hasSize(40);
    assertThat(revisions.revisions()).containsExactly(r);
    assertThat(revisions.current()).contains(r);
    assertThat(revisions.files(1))
        .containsExactly(
            new FileInfo("app.ini", 9),
            new FileInfo("bin/check.sh", 17),
            new FileInfo("keys/api/blob.bin", 256),
            new FileInfo("keys/api/prod.key", 1));
    Path dumped = tmp.resolve("dumped");
    revisions.dump(1, dumped);
    assertThat(contents(dumped)).isEqualTo(contents(source));
    assertThat(Files.isExecutable(dumped.resolve("bin/check.sh"))).isTrue();
    assertThat(Files.isWritable(dumped.resolve("app.ini"))).isTrue();
    assertThat(contents(currentDir)).isEqualTo(contents(source));
  }

  @Test
  void theCurrentFolderIsReadOnlyAndKeepsTheExecutableBit() throws Exception {
    Path source = folder("source", Map.of("a/app.ini", "x", "run.sh", "#!/bin/sh\n"));
    Files.setPosixFilePermissions(
        source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
    revisions.commit(source, "alice", "");

    Path tree = currentDir.toRealPath();
    assertThat(Files.isSymbolicLink(currentDir)).isTrue();
    assertThat(mode(tree.resolve("a/app.ini"))).isEqualTo("r--------");
    assertThat(mode(tree.resolve("run.sh"))).isEqualTo("r-x------");
    assertThat(mode(tree.resolve("a"))).isEqualTo("r-x------");
    assertThat(mode(tree)).isEqualTo("r-x------");
    assertThat(mode(repoDir)).isEqualTo("rwx------");
  }

  @Test
  void whoWhenAndTheMessageAreRecordedAndABlankMessageGetsADefault() throws Exception {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Revision first = revisions.commit(folder("one", Map.of("a", "1")), "alice", "  first\n\nwhy ");
    Revision second = revisions.commit(folder("two", Map.of("a", "2")), "bob", " ");
    Instant after = Instant.now();

    assertThat(first.who()).isEqualTo("alice");
    assertThat(first.message()).isEqualTo("first\n\nwhy");
    assertThat(first.when()).isBetween(before, after);
    assertThat(second.who()).isEqualTo("bob");
    assertThat(second.message()).isEqualTo("Upload the configuration");
    assertThat(revisions.revisions()).containsExactly(second, first);
  }

  @Test
  void anAuthorThatCannotBeRecordedIsRejected() throws Exception {
    Path source = folder("source", Map.of("a", "1"));

    for (String who : new String[] {"", " ", "eve\nMallory", "eve <e@x>"}) {
      assertThatThrownBy(() -> revisions.commit(source, who, "m"))
          .isInstanceOf(ConfigRejectedException.class);
    }
    assertThat(revisions.revisions()).isEmpty();
  }

  @Test
  void revertRecordsANewRevisionWithExactlyTheOldFilesEvenWhenNothingChanges() throws Exception {
    Path one = folder("one", Map.of("app.ini", "v1", "old/only.txt", "gone later"));
    Path two = folder("two", Map.of("app.ini", "v2", "new.txt", "added"));
    revisions.commit(one, "alice", "one");
    revisions.commit(two, "alice", "two");

    Revision reverted = revisions.revert(1, "bob");

    assertThat(reverted.number()).isEqualTo(3);
    assertThat(reverted.who()).isEqualTo("bob");
    assertThat(reverted.message()).isEqualTo("Revert to revision 1");
    assertThat(contents(currentDir)).isEqualTo(contents(one));
    assertThat(revisions.files(3)).isEqualTo(revisions.files(1));
    assertThat(revisions.revisions()).extracting(Revision::number).containsExactly(3, 2, 1);

    Revision again = revisions.revert(1, "bob");
    assertThat(again.number()).isEqualTo(4);
    assertThat(contents(currentDir)).isEqualTo(contents(one));
  }

  @Test
  void uploadingTheSameFilesAgainRecordsNothing() throws Exception {
    Revision first = revisions.commit(folder("one", Map.of("a", "1")), "alice", "one");

    Revision same = revisions.commit(folder("copy", Map.of("a", "1")), "bob", "again");

    assertThat(same).isEqualTo(first);
    assertThat(revisions.revisions()).containsExactly(first);
  }

  @Test
  void deleteRecordsARevisionWithNoFilesAndEmptiesTheCurrentFolder() throws Exception {
    revisions.commit(folder("one", Map.of("a/b.ini", "1")), "alice", "one");

    Revision deleted = revisions.delete("bob");

    assertThat(deleted.number()).isEqualTo(2);
    assertThat(deleted.files()).isZero();
    assertThat(revisions.files(2)).isEmpty();
    assertThat(contents(currentDir)).isEmpty();
    assertThat(Files.isDirectory(currentDir)).isTrue();
  }

  @Test
  void beforeTheFirstRevisionTheCurrentFolderIsEmpty() throws Exception {
    assertThat(revisions.current()).isEmpty();
    assertThat(revisions.revisions()).isEmpty();
    assertThat(revisions.currentDir()).isEqualTo(currentDir);
    assertThat(Files.isDirectory(currentDir)).isTrue();
    assertThat(contents(currentDir)).isEmpty();
  }

  @Test
  void numbersAndHistorySurviveReopening() throws Exception {
    revisions.commit(folder("one", Map.of("a", "1")), "alice", "one");
    revisions.commit(folder("two", Map.of("a", "2")), "alice", "two");
    List<Revision> before = revisions.revisions();
    revisions.close();

    revisions = ConfigRevisions.open(repoDir, currentDir);

    assertThat(revisions.revisions()).isEqualTo(before);
    assertThat(revisions.commit(folder("three", Map.of("a", "3")), "bob", "three").number())
        .isEqualTo(3);
    assertThat(revisions.revert(1, "bob").number()).isEqualTo(4);
  }

  @Test
  void aLinkOutOfTheFolderIsRejectedAndNothingIsRecorded() throws Exception {
    Path first = folder("first", Map.of("a", "1"));
    revisions.commit(first, "alice", "one");
    Path secret = Files.writeString(tmp.resolve("outside.txt"), "not yours");
    Path source = folder("source", Map.of("a", "2"));
    Files.createSymbolicLink(source.resolve("leak"), secret);

    assertThatThrownBy(() -> revisions.commit(source, "eve", "leak"))
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessageContaining("leak is a link out of the configuration folder");
    assertThat(revisions.revisions()).hasSize(1);
    assertThat(contents(currentDir)).isEqualTo(contents(first));
  }

  @Test
  void aRelativeLinkClimbingOutAndALinkToAFolderAreRejectedToo() throws Exception {
    Path up = folder("up", Map.of("a", "1"));
    Files.writeString(tmp.resolve("sibling.txt"), "x");
    Files.createSymbolicLink(up.resolve("up"), Path.of("../../sibling.txt"));
    Path toFolder = folder("to-folder", Map.of("d/a", "1"));
    Files.createSymbolicLink(toFolder.resolve("loop"), Path.of("d"));
    Path dangling = folder("dangling", Map.of("a", "1"));
    Files.createSymbolicLink(dangling.resolve("nothing"), Path.of("missing"));

    assertThatThrownBy(() -> revisions.commit(up, "eve", "m"))
        .hasMessageContaining("up is a link out of the configuration folder");
    assertThatThrownBy(() -> revisions.commit(toFolder, "eve", "m"))
        .hasMessageContaining("loop is a link to a folder");
    assertThatThrownBy(() -> revisions.commit(dangling, "eve", "m"))
        .hasMessageContaining("nothing is a link to nothing");
    assertThat(revisions.revisions()).isEmpty();
  }

  @Test
  void aLinkToAFileInsideTheFolderIsKeptAsACopyOfThatFile() throws Exception {
    Path source = folder("source", Map.of("prod.ini", "db = prod\n"));
    Files.createSymbolicLink(source.resolve("app.ini"), Path.of("prod.ini"));

    revisions.commit(source, "alice", "m");

    Path tree = currentDir.toRealPath();
    assertThat(Files.isSymbolicLink(tree.resolve("app.ini"))).isFalse();
    assertThat(Files.readString(tree.resolve("app.ini"))).isEqualTo("db = prod\n");
  }

  @Test
  void aSpecialFileIsRejected() throws Exception {
    Path source = folder("source", Map.of("a", "1"));
    try (ServerSocketChannel socket = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      socket.bind(UnixDomainSocketAddress.of(source.resolve("app.sock")));

      assertThatThrownBy(() -> revisions.commit(source, "eve", "m"))
          .isInstanceOf(ConfigRejectedException.class)
          .hasMessageContaining("app.sock is neither a file nor a folder");
    }
    assertThat(revisions.revisions()).isEmpty();
  }

  @Test
  void aConfigurationOverTheSizeLimitIsRejected() throws Exception {
    Path source = folder("source", Map.of("small", "1"));
    Files.write(source.resolve("big"), new byte[(int) ConfigRevisions.MAX_BYTES]);

    assertThatThrownBy(() -> revisions.commit(source, "eve", "m"))
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessageContaining("larger than 10485760 bytes");
    assertThat(revisions.revisions()).isEmpty();
  }

  @Test
  void anUnknownRevisionIsRejectedWithTheNewestNumber() throws Exception {
    revisions.commit(folder("one", Map.of("a", "1")), "alice", "one");

    assertThatThrownBy(() -> revisions.revert(7, "bob"))
        .isInstanceOf(ConfigRejectedException.class)
        .hasMessage("there is no configuration revision 7 (the newest is 1)");
    assertThatThrownBy(() -> revisions.files(0)).isInstanceOf(ConfigRejectedException.class);
    assertThat(revisions.revisions()).hasSize(1);
  }

  @Test
  void dumpRefusesAFolderThatIsNotEmpty() throws Exception {
    revisions.commit(folder("one", Map.of("a", "1")), "alice", "one");
    Path target = folder("target", Map.of("mine.txt", "keep"));

    assertThatThrownBy(() -> revisions.dump(1, target)).isInstanceOf(ConfigRejectedException.class);
    assertThat(contents(target)).containsOnlyKeys("mine.txt");
  }

  @Test
  void theCurrentFolderEqualsTheNewestRevisionAfterEveryChangeAndOldTreesAreRemoved()
      throws Exception {
    List<Path> sources = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      sources.add(folder("v" + i, Map.of("app.ini", "v" + i, "f" + i + "/x", "only in " + i)));
      revisions.commit(sources.get(i - 1), "alice", "v" + i);
      assertThat(contents(currentDir)).isEqualTo(contents(sources.get(i - 1)));
    }
    revisions.revert(2, "bob");
    assertThat(contents(currentDir)).isEqualTo(contents(sources.get(1)));
    revisions.delete("bob");
    assertThat(contents(currentDir)).isEmpty();

    try (Stream<Path> s = Files.list(currentDir.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("repo", "current", "current.r5", "current.r6");
    }
  }

  @Test
  void aReaderAlwaysSeesOneWholeRevisionWhileTheFolderIsSwitched() throws Exception {
    int filesPerRevision = 20;
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger switches = new AtomicInteger();
    // The switch count when the reader's last finished read began: the writer waits for a read
    // begun after its last switch, so no read outlives the tree before (kept one switch), and
    // whatever the reader misses is a torn tree, not a pruned one.
    AtomicInteger readBegunAfter = new AtomicInteger(-1);
    AtomicInteger wholeReads = new AtomicInteger();
    List<String> torn = new CopyOnWriteArrayList<>();
    revisions.commit(folder("v0", revisionFiles(0, filesPerRevision)), "alice", "v0");
    Thread reader =
        new Thread(
            () -> {
              while (!done.get()) {
                int begun = switches.get();
                try {
                  Map<String, String> seen = contents(currentDir);
                  if (seen.size() != filesPerRevision
                      || seen.values().stream().distinct().count() != 1) {
                    torn.add(seen.toString());
                  } else {
                    wholeReads.incrementAndGet();
                  }
                } catch (IOException e) {
                  torn.add(e.toString());
                }
                readBegunAfter.set(begun);
              }
            });
    reader.start();
    for (int i = 1; i <= 30; i++) {
      revisions.commit(folder("v" + i, revisionFiles(i, filesPerRevision)), "alice", "v" + i);
      switches.set(i);
      while (readBegunAfter.get() < i) {
        Thread.onSpinWait();
      }
    }
    done.set(true);
    reader.join();

    assertThat(torn).isEmpty();
    assertThat(wholeReads.get()).isGreaterThanOrEqualTo(30);
  }

  @Test
  void leftoversOfASwitchCutShortAreRemovedOnOpen() throws Exception {
    Path one = folder("one", Map.of("a", "1"));
    revisions.commit(one, "alice", "one");
    revisions.close();
    Path config = currentDir.getParent();
    Files.createDirectories(config.resolve("current.tmp/half"));
    Files.writeString(config.resolve("current.tmp/half/written"), "junk");
    Files.createSymbolicLink(config.resolve("current.swap"), Path.of("current.tmp"));

    revisions = ConfigRevisions.open(repoDir, currentDir);

    assertThat(config.resolve("current.tmp")).doesNotExist();
    assertThat(
            Files.exists(config.resolve("current.swap"), java.nio.file.LinkOption.NOFOLLOW_LINKS))
        .isFalse();
    assertThat(contents(currentDir)).isEqualTo(contents(one));
  }

  @Test
  void aRevisionRecordedButNotYetShownWhenTheNodeDiedIsShownOnOpen() throws Exception {
    Path one = folder("one", Map.of("a", "1"));
    Path two = folder("two", Map.of("a", "2", "b", "new"));
    revisions.commit(one, "alice", "one");
    revisions.commit(two, "alice", "two");
    revisions.close();
    // As if killed between recording revision 2 and swapping the link: it still shows revision 1.
    Files.delete(currentDir);
    Files.createSymbolicLink(currentDir, Path.of("current.r1"));
    assertThat(contents(currentDir)).isEqualTo(contents(one));

    revisions = ConfigRevisions.open(repoDir, currentDir);

    assertThat(contents(currentDir)).isEqualTo(contents(two));
  }

  @Test
  void aCurrentFolderChangedByHandOrMissingIsRestoredOnOpen() throws Exception {
    Path one = folder("one", Map.of("a", "1", "d/b", "2"));
    revisions.commit(one, "alice", "one");
    revisions.close();
    Path tree = currentDir.toRealPath();
    Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(tree.resolve("extra"), "added by hand");

    revisions = ConfigRevisions.open(repoDir, currentDir);
    assertThat(contents(currentDir)).isEqualTo(contents(one));
    revisions.close();

    Files.delete(currentDir);
    revisions = ConfigRevisions.open(repoDir, currentDir);
    assertThat(contents(currentDir)).isEqualTo(contents(one));
  }

  @Test
  void concurrentChangesGetDistinctNumbersAndNoneIsLost() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<Revision>> results = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      Path source = folder("c" + i, Map.of("n", Integer.toString(i)));
      results.add(pool.submit(() -> revisions.commit(source, "alice", "m")));
    }
    List<Integer> numbers = new ArrayList<>();
    for (Future<Revision> f : results) {
      numbers.add(f.get().number());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

    assertThat(numbers).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    assertThat(revisions.revisions()).hasSize(12);
    Revision newest = revisions.current().orElseThrow();
    assertThat(contents(currentDir)).isEqualTo(contents(revisions, newest.number()));
  }

  // --- helpers

  private Path folder(String name, Map<String, String> files) throws IOException {
    Path dir = tmp.resolve("sources").resolve(name);
    Files.createDirectories(dir);
    for (Map.Entry<String, String> e : files.entrySet()) {
      Path file = dir.resolve(e.getKey());
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
    }
    return dir;
  }

  private static Map<String, String> revisionFiles(int revision, int count) {
    Map<String, String> files = new TreeMap<>();
    for (int f = 0; f < count; f++) {
      files.put("d" + (f % 3) + "/file" + f, "revision " + revision);
    }
    return files;
  }

  /** Every file under {@code dir} (through a link) as path → content (Base64 for binaries). */
  private static Map<String, String> contents(Path dir) throws IOException {
    Path root = dir.toRealPath();
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        byte[] bytes = Files.readAllBytes(p);
        String text = new String(bytes, StandardCharsets.UTF_8);
        boolean printable = text.chars().allMatch(c -> c >= 0x20 || c == '\n');
        files.put(
            root.relativize(p).toString(),
            printable ? text : Base64.getEncoder().encodeToString(bytes));
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return files;
  }

  private Map<String, String> contents(ConfigRevisions r, int number) throws Exception {
    Path out = tmp.resolve("dump-" + number + "-" + System.nanoTime());
    r.dump(number, out);
    return contents(out);
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aRepositorySaysItsFormatAndOneANewerSilverWroteIsRefused() throws Exception {
    revisions.close();
    org.eclipse.jgit.lib.StoredConfig config =
        new org.eclipse.jgit.storage.file.FileRepositoryBuilder()
            .setGitDir(repoDir.toFile())
            .setBare()
            .build()
            .getConfig();
    assertThat(config.getInt("silver", null, "format", 0)).isEqualTo(ConfigRevisions.FORMAT);

    config.unset("silver", null, "format"); // as release 0.1 left it
    config.save();
    ConfigRevisions.open(repoDir, currentDir).close();
    config.load();
    assertThat(config.getInt("silver", null, "format", 0)).isEqualTo(1);

    config.setInt("silver", null, "format", 7);
    config.save();
    assertThatThrownBy(() -> ConfigRevisions.open(repoDir, currentDir))
        .isInstanceOf(org.silverlining.node.state.NewerFormatException.class)
        .hasMessageContaining(repoDir.toString())
        .hasMessageContaining("format version 7");
    revisions = ConfigRevisions.open(tmp.resolve("other/repo"), tmp.resolve("other/current"));
  }
}
