package org.silverlining.node.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.errors.InvalidParameterException;

/** A zip uploaded on the deploy page: unpacked when safe, refused with the reason otherwise. */
class ZipUploadTest {
  private static final String APP_INI = "[production]\napp_name = blog\nruntime = static\n";

  @TempDir Path dir;

  @Test
  void anAppFolderZippedWithItsTopFolderIsFoundInsideIt() throws IOException {
    Path zip = zip(Map.of("blog/app.ini", APP_INI, "blog/static/index.html", "<p>hi</p>"));
    Path app = new ZipUpload().unpack(zip, dir.resolve("out"));
    assertThat(app).isEqualTo(dir.resolve("out/blog").toAbsolutePath());
    assertThat(app.resolve("static/index.html")).hasContent("<p>hi</p>");
  }

  @Test
  void anAppZippedFromInsideItsFolderIsTheTopFolder() throws IOException {
    Path zip = zip(Map.of("app.ini", APP_INI));
    assertThat(new ZipUpload().unpack(zip, dir.resolve("out")))
        .isEqualTo(dir.resolve("out").toAbsolutePath());
  }

  @Test
  void anEntryThatClimbsOutIsRefusedAndNothingIsWrittenOutside() throws IOException {
    Path zip = zip(Map.of("app.ini", APP_INI, "../../evil.sh", "rm -rf /"));
    assertThatThrownBy(() -> new ZipUpload().unpack(zip, dir.resolve("out/x")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("'../../evil.sh' leaves the app's folder");
    assertThat(dir.resolve("evil.sh")).doesNotExist();
    assertThat(dir.resolve("out/evil.sh")).doesNotExist();
  }

  @Test
  void anAbsoluteNameIsRefused() throws IOException {
    Path zip = zip(Map.of("/etc/cron.d/x", "boom"));
    assertThatThrownBy(() -> new ZipUpload().unpack(zip, dir.resolve("out")))
        .hasMessageContaining("'/etc/cron.d/x' has an absolute or unsafe name");
  }

  @Test
  void somethingThatIsNotAZipIsRefusedAsSuch() throws IOException {
    Path notZip = Files.writeString(dir.resolve("app.zip"), "just text, no archive");
    assertThatThrownBy(() -> new ZipUpload().unpack(notZip, dir.resolve("out")))
        .isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("it is not a zip archive");
  }

  @Test
  void aZipThatUnpacksToMoreThanTheLimitIsStoppedWhileWriting() throws IOException {
    // 64 KiB of zeros compress to almost nothing: the limit counts the bytes written.
    Path zip = zip(Map.of("app.ini", APP_INI, "big.bin", "\0".repeat(64 * 1024)));
    assertThatThrownBy(() -> new ZipUpload(16 * 1024, 100).unpack(zip, dir.resolve("out")))
        .hasMessageContaining("it unpacks to more than")
        .hasMessageContaining("big.bin");
  }

  @Test
  void tooManyEntriesAreRefusedBeforeAnyIsWritten() throws IOException {
    Map<String, String> files = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      files.put("f" + i, "x");
    }
    Path zip = zip(files);
    assertThatThrownBy(() -> new ZipUpload(1 << 20, 10).unpack(zip, dir.resolve("out")))
        .hasMessageContaining("it holds 20 entries, more than 10");
    assertThat(dir.resolve("out")).isEmptyDirectory();
  }

  @Test
  void aZipWithoutAnAppSaysWhereTheAppIniGoes() throws IOException {
    Path zip = zip(Map.of("a/app.ini", APP_INI, "b/readme", "two top folders"));
    assertThatThrownBy(() -> new ZipUpload().unpack(zip, dir.resolve("out")))
        .hasMessageContaining("app.ini must be at its top or in its one top folder");
  }

  private Path zip(Map<String, String> entries) throws IOException {
    Path zip = dir.resolve("upload-" + System.nanoTime() + ".zip");
    try (OutputStream f = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(f)) {
      for (Map.Entry<String, String> e : entries.entrySet()) {
        z.putNextEntry(new ZipEntry(e.getKey()));
        z.write(e.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return zip;
  }
}
