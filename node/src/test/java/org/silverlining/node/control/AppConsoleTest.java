package org.silverlining.node.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.silverlining.node.errors.NotFoundException;

class AppConsoleTest {
  @TempDir Path dir;

  @Test
  void aScriptIsFoundAsGivenOrInBin() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app/bin"));
    Files.writeString(app.resolve("tool.py"), "");
    Files.writeString(app.getParent().resolve("top.py"), "");

    assertThat(AppConsole.scriptPath(app.getParent(), "top.py")).isEqualTo("top.py");
    assertThat(AppConsole.scriptPath(app.getParent(), "tool.py")).isEqualTo("bin/tool.py");
    assertThat(AppConsole.scriptPath(app.getParent(), "bin/tool.py")).isEqualTo("bin/tool.py");
  }

  @Test
  void aScriptOutsideTheAppsFolderIsNotRun() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Files.writeString(dir.resolve("secret.py"), "");

    assertThatThrownBy(() -> AppConsole.scriptPath(app, "../secret.py"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no script ../secret.py");
  }

  @Test
  void uploadedArgumentsBecomeThePathsOfTheirCopies() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("run-1"));
    Files.createDirectories(folder.resolve("1"));
    Files.writeString(folder.resolve("1/data.txt"), "x");

    assertThat(AppConsole.substitute(List.of("-v", "/home/me/data.txt"), Set.of(1), folder))
        .containsExactly("-v", folder.resolve("1/data.txt").toAbsolutePath().toString());
  }
}
