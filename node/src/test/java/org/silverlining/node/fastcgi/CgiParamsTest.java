package org.silverlining.node.fastcgi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgiParamsTest {
  @TempDir Path dir;

  private Map<String, String> params(String path, String query) throws Exception {
    Files.writeString(dir.resolve("index.php"), "");
    Files.createDirectories(dir.resolve("admin"));
    Files.writeString(dir.resolve("admin/edit.php"), "");
    return new CgiParams(
            dir,
            dir.resolve("index.php"),
            "GET",
            "/wiki",
            path,
            query,
            List.of(Map.entry("Accept", "text/html"), Map.entry("Proxy", "evil:1")),
            "10.0.0.1",
            4321,
            "example.com",
            80,
            false)
        .toMap();
  }

  @Test
  void aPathNamingAPhpFileRunsItWithTheRestAsPathInfo() throws Exception {
    Map<String, String> p = params("/admin/edit.php/page/1", "x=1");

    assertThat(p)
        .containsEntry("SCRIPT_FILENAME", dir.resolve("admin/edit.php").toString())
        .containsEntry("SCRIPT_NAME", "/wiki/admin/edit.php")
        .containsEntry("PATH_INFO", "/page/1")
        .containsEntry("REQUEST_URI", "/wiki/admin/edit.php/page/1?x=1")
        .containsEntry("QUERY_STRING", "x=1")
        .containsEntry("HTTP_ACCEPT", "text/html");
  }

  @Test
  void anyOtherPathRunsTheFrontController() throws Exception {
    Map<String, String> p = params("/no/such.php", null);

    assertThat(p)
        .containsEntry("SCRIPT_FILENAME", dir.resolve("index.php").toString())
        .containsEntry("SCRIPT_NAME", "/wiki/index.php")
        .containsEntry("PATH_INFO", "/no/such.php")
        .containsEntry("REQUEST_URI", "/wiki/no/such.php");
  }

  @Test
  void aClientsProxyHeaderNeverBecomesHttpProxy() throws Exception {
    assertThat(params("/", null)).doesNotContainKey("HTTP_PROXY");
  }

  @Test
  void aPathThatClimbsOutOfTheDocumentRootRunsTheFrontController() throws Exception {
    Files.writeString(dir.getParent().resolve("outside.php"), "");

    assertThat(params("/../outside.php", null))
        .containsEntry("SCRIPT_FILENAME", dir.resolve("index.php").toString());
  }

  @Test
  void longValuesAreEncodedWithFourByteLengths() {
    byte[] b = FastCgiClient.encode(Map.of("K", "v".repeat(200)));

    assertThat(b[0]).isEqualTo((byte) 1);
    assertThat(new byte[] {b[1], b[2], b[3], b[4]})
        .containsExactly((byte) 0x80, (byte) 0, (byte) 0, (byte) 200);
    assertThat(b).hasSize(1 + 4 + 1 + 200);
  }
}
