package org.silverlining.node.backupformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderBackupTest {
  @TempDir Path tmp;

  @Test
  void linksAreListedBesideTheTreeAndMadeAgainAsTheyWere() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source"));
    Files.writeString(source.resolve("2026-11-26.log"), "a line\n");
    Files.createDirectories(source.resolve("logs/old"));
    Files.createSymbolicLink(source.resolve("logs/current"), Path.of("../2026-11-26.log"));
    Files.createSymbolicLink(source.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(source.resolve("gone"), Path.of("missing"));
    Files.createSymbolicLink(source.resolve("folder"), Path.of("logs"));

    Path backup = tmp.resolve("backup/writable_root");
    FolderBackup.write(source, backup);

    assertThat(Files.readAllLines(tmp.resolve("backup/writable_root.links.jsonl")))
        .containsExactly(
            "{\"path\":\"folder\",\"target\":\"logs\"}",
            "{\"path\":\"gone\",\"target\":\"missing\"}",
            "{\"path\":\"logs/current\",\"target\":\"../2026-11-26.log\"}",
            "{\"path\":\"passwd\",\"target\":\"/etc/passwd\"}");
    assertThat(backup.resolve("logs/old")).isDirectory();
    assertThat(backup.resolve("folder")).doesNotExist();

    Path restored = Files.createDirectories(tmp.resolve("restored"));
    FolderBackup.restore(backup, restored);

    assertThat(Files.readSymbolicLink(restored.resolve("logs/current")))
        .isEqualTo(Path.of("../2026-11-26.log"));
    assertThat(Files.readString(restored.resolve("logs/current"))).isEqualTo("a line\n");
    assertThat(Files.readSymbolicLink(restored.resolve("passwd")))
        .isEqualTo(Path.of("/etc/passwd"));
    assertThat(Files.readSymbolicLink(restored.resolve("gone"))).isEqualTo(Path.of("missing"));
    assertThat(Files.readSymbolicLink(restored.resolve("folder"))).isEqualTo(Path.of("logs"));
  }

  @Test
  void aTreeWithoutLinksHasNoListOfThem() throws Exception {
    Path source = Files.createDirectories(tmp.resolve("source"));
    Files.writeString(source.resolve("a.txt"), "a");

    FolderBackup.write(source, tmp.resolve("backup/files"));

    assertThat(tmp.resolve("backup/files.links.jsonl")).doesNotExist();
  }

  @Test
  void aListedLinkOutsideTheFolderOrThroughAnotherLinkIsRefused() throws Exception {
    Path backup = Files.createDirectories(tmp.resolve("backup/files"));
    Path list = tmp.resolve("backup/files.links.jsonl");
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    for (String line :
        new String[] {
          "{\"path\":\"../escape\",\"target\":\"x\"}",
          "{\"path\":\"/abs\",\"target\":\"x\"}",
          "{\"path\":\"a//b\",\"target\":\"x\"}",
          "{\"path\":\"\",\"target\":\"x\"}",
        }) {
      Files.writeString(list, line + "\n");
      Path target = Files.createDirectories(tmp.resolve("t" + line.hashCode()));
      assertThatThrownBy(() -> FolderBackup.restore(backup, target))
          .as(line)
          .isInstanceOf(BackupException.class)
          .hasMessageContaining("files.links.jsonl:1");
    }

    Files.writeString(
        list,
        "{\"path\":\"out\",\"target\":\""
            + outside
            + "\"}\n"
            + "{\"path\":\"out/planted\",\"target\":\"x\"}\n");
    Path target = Files.createDirectories(tmp.resolve("through"));
    assertThatThrownBy(() -> FolderBackup.restore(backup, target))
        .hasMessageContaining("files.links.jsonl:2: 'out/planted' goes through another link");
    assertThat(outside).isEmptyDirectory();

    Files.writeString(
        list, "{\"path\":\"twice\",\"target\":\"a\"}\n{\"path\":\"twice\",\"target\":\"b\"}\n");
    Path again = Files.createDirectories(tmp.resolve("again"));
    assertThatThrownBy(() -> FolderBackup.restore(backup, again))
        .hasMessageContaining("'twice' is in the backup twice");
  }
}
