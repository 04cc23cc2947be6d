package org.silverlining.node.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Python {@code silversupport.href}, as the node installs it, run by a real python3. */
class SilversupportHrefTest {
  @TempDir Path dir;

  @Test
  void hrefReadsTheResourcesFileByCallAndByIndexAndRefusesAnUnknownName() throws Exception {
    Path support = dir.resolve("support");
    RuntimeSupport.install(support);
    Path file = dir.resolve("resources.json");
    Files.writeString(file, "{\"all_js\": \"/static/1/_resources/all_js.abc.js\", \"a.js\": null}");
    String script =
        """
        import silversupport
        from silversupport import href
        print(href("all_js"), silversupport.href["all_js"], href("a.js"))
        try:
            href("al_js")
        except KeyError as e:
            print("KeyError", e)
        """;
    ProcessBuilder pb =
        new ProcessBuilder("python3", "-c", script)
            .redirectErrorStream(true)
            .directory(dir.toFile());
    pb.environment().put("PYTHONPATH", support.resolve("python").toString());
    pb.environment().put("SILVER_RESOURCES_FILE", file.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

    assertThat(out)
        .startsWith("/static/1/_resources/all_js.abc.js /static/1/_resources/all_js.abc.js None\n")
        .contains("KeyError", "names no al_js");
  }
}
