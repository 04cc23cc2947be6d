package org.silverlining.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;
import org.silverlining.node.runtime.RuntimeTools;

class ProcessCommandTest {
  private static final String JAVA = "/opt/jdk/bin/java";
  private static final RuntimeTools TOOLS =
      new RuntimeTools(
          JAVA,
          "/usr/bin/python3",
          "/usr/sbin/php-fpm",
          "/usr/bin/php",
          Path.of("/srv/node/runtime"));
  private static final Map<String, String> ENV = Map.of("PORT", "9001", "HOME", "/home/app");

  private static AppConfig app(String lines) {
    return AppConfig.parse(
        IniFile.parse("app.ini", "[production]\napp_name = hello\n" + lines), false);
  }

  @Test
  void aJarRunsWithDashJarAfterTheJavaOptions() {
    AppConfig app = app("runner = target/app.jar\njava_options = -Xmx256m -Dport=$PORT\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly(JAVA, "-Xmx256m", "-Dport=9001", "-jar", "target/app.jar");
  }

  @Test
  void aJarWithoutJavaOptionsIsJustJavaDashJar() {
    assertThat(ProcessCommand.of(app("runner = app.jar\n"), ENV, TOOLS))
        .containsExactly(JAVA, "-jar", "app.jar");
  }

  @Test
  void aSingleSourceFileRunsThroughTheSourceLauncher() {
    AppConfig app = app("runner = src/Hello.java\njava_options = -Xss1m\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly(JAVA, "-Xss1m", "src/Hello.java");
  }

  @Test
  void aMainClassRunsOnTheClasspath() {
    AppConfig app =
        app("runner = org.example.Main\nclasspath = lib/*:classes\njava_options = -ea\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly(JAVA, "-ea", "-cp", "lib/*:classes", "org.example.Main");
  }

  @Test
  void aMainClassWithoutClasspathIsGivenNoDashCp() {
    assertThat(ProcessCommand.of(app("runner = Main\n"), ENV, TOOLS)).containsExactly(JAVA, "Main");
  }

  @Test
  void aCommandIsSplitLikeAShellWithThePortExpanded() {
    AppConfig app =
        app(
            "runtime = command\nrunner = python3 -m http.server $PORT --directory '$HOME/my site'\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly("python3", "-m", "http.server", "9001", "--directory", "$HOME/my site");
  }

  @Test
  void aCommandExpandsVariablesOnlyFromTheProcessEnvironment() {
    AppConfig app = app("runtime = command\nrunner = ./serve --home ${HOME} --user \"$USER\"\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly("./serve", "--home", "/home/app", "--user", "");
  }

  @Test
  void aStaticAppRunsNoProcess() {
    AppConfig app = app("runtime = static\n");

    assertThatThrownBy(() -> ProcessCommand.of(app, ENV, TOOLS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("static");
  }

  @Test
  void aPythonAppIsOneGunicornWithProcessesWorkersLoadingTheNodesWsgiModule() {
    AppConfig app = app("runner = main.py\nprocesses = 3\n");

    assertThat(ProcessCommand.of(app, ENV, TOOLS))
        .containsExactly(
            "/usr/bin/python3",
            "-m",
            "gunicorn",
            "--bind",
            "127.0.0.1:9001",
            "--workers",
            "3",
            "--timeout",
            "300",
            "--error-logfile",
            "-",
            "--pythonpath",
            "/srv/node/runtime/python",
            "silverlining_wsgi:application");
    assertThat(app.processCount()).isEqualTo(1);
  }

  @Test
  void aPythonAppUnderServeReloads() {
    AppConfig app = app("runner = main.py\n");
    Map<String, String> devel = Map.of("PORT", "9001", "SILVER_VERSION", "devel/0.1.0");

    assertThat(ProcessCommand.of(app, devel, TOOLS))
        .contains("--reload")
        .endsWith("silverlining_wsgi:application");
  }

  @Test
  void aPhpAppIsOnePhpFpmWithAPoolFileOfItsOwn() {
    AppConfig app = app("runner = index.php\nprocesses = 4\n");
    Map<String, String> env = Map.of("PORT", "9001", "SILVER_INSTANCE_NAME", "wiki.20260101_001");

    assertThat(ProcessCommand.of(app, env, TOOLS))
        .containsExactly(
            "/usr/sbin/php-fpm",
            "--nodaemonize",
            "--fpm-config",
            "/srv/node/runtime/php/wiki.20260101_001-9001.conf",
            "-R");
    assertThat(
            org.silverlining.node.runtime.AppRuntimes.of(app.runtime())
                .files(app, env, TOOLS)
                .get(Path.of("/srv/node/runtime/php/wiki.20260101_001-9001.conf")))
        .contains("listen = 127.0.0.1:9001", "pm.max_children = 4", "clear_env = no");
  }

  @Test
  void theDefaultJavaIsTheNodesOwnJvm() {
    assertThat(Path.of(ProcessCommand.defaultJava()))
        .isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"))
        .isExecutable();
  }
}
