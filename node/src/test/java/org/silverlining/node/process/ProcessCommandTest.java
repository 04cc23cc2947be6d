package org.silverlining.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;

class ProcessCommandTest {
  private static final String JAVA = "/opt/jdk/bin/java";
  private static final Map<String, String> ENV = Map.of("PORT", "9001", "HOME", "/home/app");

  private static AppConfig app(String lines) {
    return AppConfig.parse(
        IniFile.parse("app.ini", "[production]\napp_name = hello\n" + lines), false);
  }

  @Test
  void aJarRunsWithDashJarAfterTheJavaOptions() {
    AppConfig app = app("runner = target/app.jar\njava_options = -Xmx256m -Dport=$PORT\n");

    assertThat(ProcessCommand.of(app, ENV, JAVA))
        .containsExactly(JAVA, "-Xmx256m", "-Dport=9001", "-jar", "target/app.jar");
  }

  @Test
  void aJarWithoutJavaOptionsIsJustJavaDashJar() {
    assertThat(ProcessCommand.of(app("runner = app.jar\n"), ENV, JAVA))
        .containsExactly(JAVA, "-jar", "app.jar");
  }

  @Test
  void aSingleSourceFileRunsThroughTheSourceLauncher() {
    AppConfig app = app("runner = src/Hello.java\njava_options = -Xss1m\n");

    assertThat(ProcessCommand.of(app, ENV, JAVA)).containsExactly(JAVA, "-Xss1m", "src/Hello.java");
  }

  @Test
  void aMainClassRunsOnTheClasspath() {
    AppConfig app =
        app("runner = org.example.Main\nclasspath = lib/*:classes\njava_options = -ea\n");

    assertThat(ProcessCommand.of(app, ENV, JAVA))
        .containsExactly(JAVA, "-ea", "-cp", "lib/*:classes", "org.example.Main");
  }

  @Test
  void aMainClassWithoutClasspathIsGivenNoDashCp() {
    assertThat(ProcessCommand.of(app("runner = Main\n"), ENV, JAVA)).containsExactly(JAVA, "Main");
  }

  @Test
  void aCommandIsSplitLikeAShellWithThePortExpanded() {
    AppConfig app =
        app(
            "runtime = command\nrunner = python3 -m http.server $PORT --directory '$HOME/my site'\n");

    assertThat(ProcessCommand.of(app, ENV, JAVA))
        .containsExactly("python3", "-m", "http.server", "9001", "--directory", "$HOME/my site");
  }

  @Test
  void aCommandExpandsVariablesOnlyFromTheProcessEnvironment() {
    AppConfig app = app("runtime = command\nrunner = ./serve --home ${HOME} --user \"$USER\"\n");

    assertThat(ProcessCommand.of(app, ENV, JAVA))
        .containsExactly("./serve", "--home", "/home/app", "--user", "");
  }

  @Test
  void aStaticAppRunsNoProcess() {
    AppConfig app = app("runtime = static\n");

    assertThatThrownBy(() -> ProcessCommand.of(app, ENV, JAVA))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("static");
  }

  @Test
  void theDefaultJavaIsTheNodesOwnJvm() {
    assertThat(Path.of(ProcessCommand.defaultJava()))
        .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"))
        .isExecutable();
  }
}
