package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppArchiveTest {
  @TempDir Path tmp;

  private Path write(Path dir, String relative, String content) throws IOException {
    Path file = dir.resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.writeString(file, content);
  }

  private static byte[] pack(Path appDir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AppArchive.pack(appDir, out);
    return out.toByteArray();
  }

  private static List<String> entryNames(byte[] archive) throws IOException {
    List<String> names = new ArrayList<>();
    try (TarArchiveInputStream tar =
        new TarArchiveInputStream(new GZIPInputStream(new ByteArrayInputStream(archive)))) {
      TarArchiveEntry e;
      while ((e = tar.getNextEntry()) != null) {
        names.add(e.getName());
      }
    }
    return names;
  }

  /** Every regular file below {@code dir}, by '/'-separated relative path, with its content. */
  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          out.put(dir.relativize(p).toString(), Files.readString(p));
        }
      }
    }
    return out;
  }

  @Nested
  class PackingAndUnpacking {
    Path app;

    @BeforeEach
    void makeApp() throws IOException {
      app = tmp.resolve("app");
      write(app, "app.ini", "[production]\napp_name = hello\nrunner = target/hello.jar\n");
      write(app, "src/main/java/Hello.java", "class Hello {}\n");
      write(app, "static/index.html", "<h1>hello</h1>\n");
      write(app, "static/css/site.css", "body { margin: 0 }\n");
      Path run = write(app, "bin/run.sh", "#!/bin/sh\necho hi\n");
      Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.createDirectories(app.resolve("data/empty"));
    }

    @Test
    void unpackGivesBackEveryFileWithItsContent() throws IOException {
      Path target = tmp.resolve("unpacked");
      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(contents(target)).isEqualTo(contents(app));
    }

    @Test
    void unpackKeepsEmptyFolders() throws IOException {
      Path target = tmp.resolve("unpacked");
      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(target.resolve("data/empty")).isDirectory().isEmptyDirectory();
    }

    @Test
    void unpackKeepsTheExecutableBitAndOnlyWhereItWasSet() throws IOException {
      Path target = tmp.resolve("unpacked");
      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(Files.getPosixFilePermissions(target.resolve("bin/run.sh")))
          .contains(PosixFilePermission.OWNER_EXECUTE);
      assertThat(Files.getPosixFilePermissions(target.resolve("app.ini")))
          .doesNotContain(
              PosixFilePermission.OWNER_EXECUTE,
              PosixFilePermission.GROUP_EXECUTE,
              PosixFilePermission.OTHERS_EXECUTE);
    }

    @Test
    void packAndUnpackReportTheSameManifest() throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      List<AppArchive.FileEntry> packed = AppArchive.pack(app, out);
      List<AppArchive.FileEntry> unpacked =
          AppArchive.unpack(new ByteArrayInputStream(out.toByteArray()), tmp.resolve("unpacked"));

      assertThat(unpacked).isEqualTo(packed);
      assertThat(packed)
          .extracting(AppArchive.FileEntry::path)
          .containsExactly(
              "app.ini",
              "bin/run.sh",
              "src/main/java/Hello.java",
              "static/css/site.css",
              "static/index.html");
    }

    @Test
    void manifestHashesAndSizesMatchTheFiles() throws IOException {
      Path target = tmp.resolve("unpacked");
      List<AppArchive.FileEntry> files =
          AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(files).isNotEmpty();
      for (AppArchive.FileEntry f : files) {
        Path file = target.resolve(f.path());
        assertThat(f.sha256()).as(f.path()).isEqualTo(Hashing.sha256(file));
        assertThat(f.sha256()).as(f.path()).isEqualTo(Hashing.sha256(Files.readString(file)));
        assertThat(f.size()).as(f.path()).isEqualTo(Files.size(file));
      }
    }

    @Test
    void packingTheSameFolderTwiceListsTheSameEntriesInTheSameOrder() throws IOException {
      assertThat(entryNames(pack(app))).isEqualTo(entryNames(pack(app)));
    }

    @Test
    void aFolderComesBeforeWhatItHolds() throws IOException {
      List<String> names = entryNames(pack(app));

      assertThat(names.indexOf("static/")).isLessThan(names.indexOf("static/css/"));
      assertThat(names.indexOf("static/css/")).isLessThan(names.indexOf("static/css/site.css"));
    }

    @Test
    void packHonoursSilverignore() throws IOException {
      write(app, ".silverignore", "# build output\n*.log\ntarget/\n/secret.txt\n");
      write(app, "server.log", "noise");
      write(app, "static/debug.log", "noise");
      write(app, "target/classes/Hello.class", "bytes");
      write(app, "secret.txt", "hunter2");
      write(app, "static/secret.txt", "public, despite the name");

      List<String> names = entryNames(pack(app));

      assertThat(names)
          .contains(".silverignore", "static/secret.txt")
          .doesNotContain("server.log", "static/debug.log", "secret.txt")
          .noneMatch(n -> n.startsWith("target/"));
    }

    @Test
    void packAlwaysLeavesOutVersionControlFolders() throws IOException {
      write(app, ".git/config", "[core]\n");
      write(app, ".hg/hgrc", "");
      write(app, "static/.svn/entries", "");

      assertThat(entryNames(pack(app)))
          .noneMatch(n -> n.contains(".git") || n.contains(".hg") || n.contains(".svn"));
    }

    @Test
    void aSymlinkInsideTheAppSurvivesTheRoundTrip() throws IOException {
      Files.createSymbolicLink(app.resolve("public"), Path.of("static"));
      Path target = tmp.resolve("unpacked");

      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(Files.isSymbolicLink(target.resolve("public"))).isTrue();
      assertThat(Files.readSymbolicLink(target.resolve("public"))).isEqualTo(Path.of("static"));
      assertThat(target.resolve("public/index.html")).hasContent("<h1>hello</h1>");
    }

    @Test
    void aFileWithALongPathSurvivesTheRoundTrip() throws IOException {
      String deep = "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(60) + "/file.txt";
      write(app, deep, "deep");
      Path target = tmp.resolve("unpacked");

      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(target.resolve(deep)).hasContent("deep");
    }

    @Test
    void aNonAsciiNameSurvivesTheRoundTrip() throws IOException {
      write(app, "static/café-ünïcode.txt", "ok");
      Path target = tmp.resolve("unpacked");

      AppArchive.unpack(new ByteArrayInputStream(pack(app)), target);

      assertThat(target.resolve("static/café-ünïcode.txt")).hasContent("ok");
    }
  }

  @Nested
  class HandBuiltArchives {
    @Test
    void aWellFormedArchiveUnpacks() throws IOException {
      Path target = tmp.resolve("app");
      InputStream archive =
          new TarBuilder()
                  .folder("static/")
                  .file("static/index.html", "hi")
                  .file("bin/start", "#!/bin/sh\n", 0755)
                  .symlink("public", "static")
                  .symlink("static/home.html", "index.html")
                  .symlink("static/up", "../bin")
                  .stream();

      List<AppArchive.FileEntry> files = AppArchive.unpack(archive, target);

      assertThat(files)
          .extracting(AppArchive.FileEntry::path)
          .containsExactly("static/index.html", "bin/start");
      assertThat(target.resolve("public/home.html")).hasContent("hi");
      assertThat(target.resolve("static/up/start")).isExecutable();
      assertThat(files.get(0).sha256()).isEqualTo(Hashing.sha256("hi"));
    }

    @Test
    void aFileMayBeListedWithoutItsFolder() throws IOException {
      Path target = tmp.resolve("app");

      AppArchive.unpack(new TarBuilder().file("a/b/c.txt", "c").stream(), target);

      assertThat(target.resolve("a/b/c.txt")).hasContent("c");
    }

    @Test
    void aFolderListedTwiceIsAccepted() throws IOException {
      Path target = tmp.resolve("app");

      AppArchive.unpack(
          new TarBuilder().folder("static/").file("static/a", "a").folder("static/").stream(),
          target);

      assertThat(target.resolve("static/a")).hasContent("a");
    }
  }

  /**
   * Archives that try to write outside their folder. Each unpacks into {@code tmp/outer/inner/app}
   * so that an escape of one or two levels would leave a stray file where the test can see it.
   */
  @Nested
  class HostileArchives {
    Path target;

    @BeforeEach
    void chooseTarget() {
      target = tmp.resolve("outer/inner/app");
    }

    private void assertRejected(InputStream archive, String why) {
      assertThatThrownBy(() -> AppArchive.unpack(archive, target))
          .isInstanceOf(UnsafeArchiveException.class)
          .hasMessageContaining(why)
          .hasMessageContaining("nothing was installed");
      assertNothingOutsideTarget();
    }

    private void assertNothingOutsideTarget() {
      List<String> stray = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(tmp)) {
        walk.filter(p -> !p.startsWith(target) && !target.startsWith(p))
            .forEach(p -> stray.add(tmp.relativize(p).toString()));
      } catch (IOException e) {
        throw new AssertionError(e);
      }
      assertThat(stray).as("files outside " + target).isEmpty();
    }

    @Test
    void rejectsAnEntryThatStepsOutWithDotDot() {
      assertRejected(new TarBuilder().file("../evil", "x").stream(), "'..'");
    }

    @Test
    void rejectsAnEntryThatStepsOutTwoLevelsWithDotDot() {
      assertRejected(new TarBuilder().file("../../evil", "x").stream(), "'..'");
    }

    @Test
    void rejectsADotDotHiddenInTheMiddleOfAPath() {
      assertRejected(
          new TarBuilder().file("static/../../evil", "x").stream(), "entry 'static/../../evil'");
    }

    @Test
    void rejectsADotDotFolder() {
      assertRejected(new TarBuilder().folder("../evil/").stream(), "'..'");
    }

    @Test
    void rejectsAnAbsolutePath() {
      String absolute = tmp.resolve("outer/evil").toString();

      assertRejected(new TarBuilder().file(absolute, "x").stream(), "not a relative path");
    }

    @Test
    void rejectsABackslashPath() {
      assertRejected(new TarBuilder().file("..\\evil", "x").stream(), "not a relative path");
    }

    @Test
    void rejectsAnEntryForTheFolderItself() {
      assertRejected(new TarBuilder().file(".", "x").stream(), "entry '.'");
    }

    @Test
    void rejectsASymlinkThatClimbsOut() {
      assertRejected(new TarBuilder().symlink("etc", "../../etc").stream(), "outside");
    }

    @Test
    void rejectsASymlinkInAFolderThatClimbsOut() {
      assertRejected(
          new TarBuilder().folder("static/").symlink("static/up", "../../x").stream(), "outside");
    }

    @Test
    void rejectsAnAbsoluteSymlink() {
      assertRejected(new TarBuilder().symlink("passwd", "/etc/passwd").stream(), "outside");
    }

    @Test
    void rejectsAnAbsoluteSymlinkEvenWhenItPointsInside() {
      String inside = target.resolve("static").toString();

      assertRejected(new TarBuilder().symlink("public", inside).stream(), "outside");
    }

    @Test
    void rejectsAHardLinkToAFileOutside() {
      assertRejected(new TarBuilder().hardLink("passwd", "/etc/passwd").stream(), "hard link");
    }

    @Test
    void rejectsAHardLinkEvenToAFileInside() {
      assertRejected(
          new TarBuilder().file("app.ini", "[production]\n").hardLink("copy", "app.ini").stream(),
          "hard link");
    }

    @Test
    void rejectsACharacterDevice() {
      assertRejected(new TarBuilder().special("null", TarArchiveEntry.LF_CHR).stream(), "device");
    }

    @ParameterizedTest
    @ValueSource(
        bytes = {TarArchiveEntry.LF_BLK, TarArchiveEntry.LF_FIFO, TarArchiveEntry.LF_CONTIG})
    void rejectsOtherSpecialFiles(byte linkFlag) {
      assertRejected(new TarBuilder().special("odd", linkFlag).stream(), "special file");
    }

    @Test
    void rejectsAFileWrittenThroughASymlinkedFolder() {
      assertRejected(
          new TarBuilder()
                  .folder("static/")
                  .symlink("public", "static")
                  .file("public/index.html", "x")
                  .stream(),
          "through a link");
    }

    @Test
    void rejectsAFolderCreatedThroughASymlink() {
      assertRejected(
          new TarBuilder()
              .folder("static/").symlink("public", "static").folder("public/sub/").stream(),
          "through a link");
    }

    @Test
    void rejectsASymlinkCreatedThroughASymlinkedFolder() {
      // "here" is the app folder itself, so "here/up" would really be a link next to it, and
      // ".." from there is outside even though "here/.." looks like the app folder.
      assertRejected(
          new TarBuilder().symlink("here", ".").symlink("here/up", "..").stream(),
          "through a link");
    }

    @Test
    void rejectsASymlinkWhoseTargetStepsBackThroughAnotherSymlink() {
      // "loop/.." looks like the app folder, but "loop" is the app folder, so it is its parent.
      assertRejected(
          new TarBuilder().symlink("loop", ".").symlink("escape", "loop/..").stream(), "outside");
    }

    @Test
    void rejectsSuchASymlinkEvenWhenItComesFirst() {
      assertRejected(
          new TarBuilder().symlink("escape", "loop/..").symlink("loop", ".").stream(), "outside");
    }

    @Test
    void rejectsADuplicateFile() {
      assertRejected(
          new TarBuilder().file("app.ini", "first").file("app.ini", "second").stream(),
          "appears twice");
    }

    @Test
    void rejectsAFileThatReplacesASymlink() {
      assertRejected(
          new TarBuilder().file("a", "a").symlink("b", "a").file("b", "through b").stream(),
          "appears twice");
    }

    @Test
    void rejectsADuplicateSymlink() {
      assertRejected(
          new TarBuilder().file("a", "a").symlink("b", "a").symlink("b", "a").stream(),
          "appears twice");
    }

    @Test
    void rejectsASymlinkThatReplacesAFolder() {
      assertRejected(
          new TarBuilder().folder("static/").symlink("static", "other").stream(), "appears twice");
    }

    @Test
    void rejectsAFolderThatReplacesAFile() {
      assertRejected(
          new TarBuilder().file("static", "x").folder("static/").stream(), "appears twice");
    }

    @Test
    void rejectsAFileThatReplacesAFolder() {
      assertRejected(
          new TarBuilder().folder("static/").file("static", "x").stream(), "appears twice");
    }

    @Test
    void theMessageNamesTheEntry() {
      assertThatThrownBy(
              () -> AppArchive.unpack(new TarBuilder().file("../evil", "x").stream(), target))
          .hasMessageStartingWith("unsafe archive: entry '../evil'");
    }

    @Test
    void rejectsAfterEarlierEntriesWereWrittenInsideOnly() {
      assertRejected(new TarBuilder().file("app.ini", "ok").file("../evil", "x").stream(), "'..'");
      assertThat(target.resolve("app.ini")).exists();
    }
  }

  @Test
  void contentsHelperSeesNestedFiles() throws IOException {
    Path dir = tmp.resolve("d");
    write(dir, "x/y.txt", "y");
    assertThat(contents(dir)).containsExactly(Map.entry("x/y.txt", "y"));
    assertThat(new String(Files.readAllBytes(dir.resolve("x/y.txt")), StandardCharsets.UTF_8))
        .isEqualTo("y");
  }
}
