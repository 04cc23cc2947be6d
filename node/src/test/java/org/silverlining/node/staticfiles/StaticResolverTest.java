package org.silverlining.node.staticfiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of {@link StaticResolver}, on real files, without a server. */
class StaticResolverTest {
  @TempDir Path dir;
  Path live;
  Path earlier;
  StaticResolver resolver;
  FileRoots roots;

  @BeforeEach
  void files() throws Exception {
    live = Files.createDirectories(dir.resolve("site.20261207_002/static"));
    earlier = Files.createDirectories(dir.resolve("site.20261207_001/static"));
    Files.writeString(live.resolve("a.js"), "live();\n");
    Files.writeString(live.resolve("a.js.gz"), "zipped");
    Files.writeString(live.resolve("a.js.br"), "brotli");
    Files.writeString(live.resolve("logo.png"), "png");
    Files.writeString(live.resolve("logo.png.gz"), "not used");
    Files.writeString(earlier.resolve("a.js"), "earlier();\n");
    resolver = new StaticResolver(name -> name.equals("site.20261207_001") ? earlier : null);
    roots = new FileRoots("site", "site.20261207_002", live, live, null, null);
  }

  StaticAnswer get(String path, Map<String, String> headers) throws Exception {
    return resolver.resolve(
        roots,
        new FileRequest(
            "GET",
            path,
            "h.test",
            name ->
                headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null)));
  }

  @Test
  void theVersionedUrlOfAnEarlierDeploymentIsAnsweredFromItsFolder() throws Exception {
    StaticAnswer a = get("/static/20261207_001/a.js", Map.of());

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.file()).isEqualTo(earlier.resolve("a.js"));
    assertThat(a.header("Cache-Control")).isEqualTo(StaticResolver.FAR_FUTURE);
    assertThat(get("/static/20261207_009/a.js", Map.of()).status()).isEqualTo(404);
    assertThat(get("/static/20261207_002/../../x", Map.of()).status()).isEqualTo(404);
  }

  @Test
  void brotliIsPreferredThenGzipAndOnlyForTextTypes() throws Exception {
    assertThat(get("/a.js", Map.of("Accept-Encoding", "gzip, br")).file())
        .isEqualTo(live.resolve("a.js.br"));
    assertThat(get("/a.js", Map.of("Accept-Encoding", "gzip, br;q=0")).file())
        .isEqualTo(live.resolve("a.js.gz"));
    assertThat(get("/a.js", Map.of("Accept-Encoding", "*")).header("Content-Encoding"))
        .isEqualTo("br");
    assertThat(get("/a.js", Map.of()).file()).isEqualTo(live.resolve("a.js"));
    assertThat(get("/logo.png", Map.of("Accept-Encoding", "gzip")).file())
        .isEqualTo(live.resolve("logo.png"));
    assertThat(get("/logo.png", Map.of()).header("Vary")).isNull();
  }

  @Test
  void aRangeIsAnsweredFromTheUncompressedFile() throws Exception {
    StaticAnswer a = get("/a.js", Map.of("Accept-Encoding", "gzip", "Range", "bytes=0-3"));

    assertThat(a.status()).isEqualTo(206);
    assertThat(a.file()).isEqualTo(live.resolve("a.js"));
    assertThat(a.length()).isEqualTo(4);
  }

  @Test
  void ifRangeWithAnotherVersionSendsTheWholeFile() throws Exception {
    String etag = get("/a.js", Map.of()).header("ETag");

    assertThat(get("/a.js", Map.of("Range", "bytes=0-3", "If-Range", etag)).status())
        .isEqualTo(206);
    assertThat(get("/a.js", Map.of("Range", "bytes=0-3", "If-Range", "\"old\"")).status())
        .isEqualTo(200);
  }

  @Test
  void byteRangesAreParsedAsTheStandardSays() {
    assertThat(StaticResolver.span("bytes=0-0", 10)).containsExactly(0, 0);
    assertThat(StaticResolver.span("bytes=5-", 10)).containsExactly(5, 9);
    assertThat(StaticResolver.span("bytes=5-100", 10)).containsExactly(5, 9);
    assertThat(StaticResolver.span("bytes=-4", 10)).containsExactly(6, 9);
    assertThat(StaticResolver.span("bytes=-40", 10)).containsExactly(0, 9);
    assertThat(StaticResolver.span("bytes=10-", 10)).isEmpty();
    assertThat(StaticResolver.span("bytes=0-1,4-5", 10)).isNull();
    assertThat(StaticResolver.span("items=0-1", 10)).isNull();
    assertThat(StaticResolver.span("bytes=x-1", 10)).isNull();
  }

  @Test
  void otherMethodsAndMissingFilesGoToTheApp() throws Exception {
    assertThat(resolver.resolve(roots, new FileRequest("POST", "/a.js", "h.test", n -> null)))
        .isNull();
    assertThat(get("/nothing.js", Map.of())).isNull();
  }
}
