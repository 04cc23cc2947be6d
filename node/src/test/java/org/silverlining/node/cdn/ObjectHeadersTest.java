package org.silverlining.node.cdn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ObjectHeadersTest {
  @TempDir Path dir;

  @Test
  void aFileIsStoredWithItsMediaType() throws Exception {
    assertThat(ObjectHeaders.of(file("site.css"))).isEqualTo(new ObjectHeaders("text/css", null));
    assertThat(ObjectHeaders.of(file("dot.png"))).isEqualTo(new ObjectHeaders("image/png", null));
  }

  @Test
  void aPrecompressedVariantIsStoredAsTheOriginalsTypeWithItsEncoding() throws Exception {
    file("app.js");

    assertThat(ObjectHeaders.of(file("app.js.gz")))
        .isEqualTo(new ObjectHeaders("text/javascript", "gzip"));
    assertThat(ObjectHeaders.of(file("app.js.br")))
        .isEqualTo(new ObjectHeaders("text/javascript", "br"));
  }

  @Test
  void aGzipFileWithoutAnOriginalBesideItIsAnArchive() throws Exception {
    assertThat(ObjectHeaders.of(file("backup.tar.gz")))
        .isEqualTo(new ObjectHeaders("application/gzip", null));
  }

  private Path file(String name) throws Exception {
    return Files.writeString(dir.resolve(name), "x");
  }
}
