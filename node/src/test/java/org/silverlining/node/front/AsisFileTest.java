package org.silverlining.node.front;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AsisFileTest {
  @TempDir Path dir;

  private AsisFile.Answer read(String text) throws Exception {
    Path f = dir.resolve("x.asis");
    Files.writeString(f, text, StandardCharsets.ISO_8859_1);
    return AsisFile.read(f);
  }

  @Test
  void readsTheStatusHeadersAndBody() throws Exception {
    AsisFile.Answer a =
        read("Status: 301 Moved Permanently\nLocation: /elsewhere\nX-A:  b \n\nmoved\n\nmore");
    assertThat(a.status()).isEqualTo(301);
    assertThat(a.headers().get("Location")).isEqualTo("/elsewhere");
    assertThat(a.headers().get("X-A")).isEqualTo("b");
    assertThat(StandardCharsets.UTF_8.decode(a.body()).toString()).isEqualTo("moved\n\nmore");
  }

  @Test
  void crlfLinesNoStatusAndAnEmptyBodyAreFine() throws Exception {
    AsisFile.Answer a = read("Content-Type: text/plain\r\nContent-Length: 999\r\n\r\n");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.headers().get("Content-Type")).isEqualTo("text/plain");
    assertThat(a.headers().get("Content-Length")).isNull(); // the front frames the body
    assertThat(a.body().remaining()).isZero();
    assertThat(read("\nbody only").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Status: 301 Moved|no blank line after the headers (line 1)",
        "Location: /x\\nno colon\\n\\nbody|line 2 is not a header 'Name: value': no colon",
        "Status: moved\\n\\n|line 1: 'Status: moved' is not a status like 301 Moved Permanently",
        "Status: 99 Low\\n\\n|is not a status",
        "Status: 600 High\\n\\n|is not a status",
        "Status: 101 Switching\\n\\n|is not a status",
        "Bad Name: x\\n\\n|line 1 is not a header",
        ": x\\n\\n|line 1 is not a header",
        "X-Split: a\\rb\\n\\n|line 1 is not a header",
      })
  void aMalformedFileSaysWhatAndWhere(String text, String problem) {
    assertThatThrownBy(() -> read(text.replace("\\n", "\n").replace("\\r", "\r")))
        .isInstanceOf(AsisFile.MalformedException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void isFoundBesideItsNameOnlyInsideTheFolder() throws Exception {
    Files.writeString(dir.resolve("moved.asis"), "\n");
    assertThat(AsisFile.fileFor(dir, "/moved")).isEqualTo(dir.resolve("moved.asis"));
    assertThat(AsisFile.fileFor(dir, "/moved/")).isNull();
    assertThat(AsisFile.fileFor(dir, "/other")).isNull();
    assertThat(AsisFile.fileFor(dir.resolve("sub"), "/../moved")).isNull();
  }
}
