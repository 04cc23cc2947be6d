package org.silverlining.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apps written for the original Silver Lining, deployed as they are on a real node: a WSGI app
 * under a path prefix served by Debian's gunicorn, a Paste Deploy app, update_fetch as an internal
 * GET.
 */
class SilverLiningAppsIT {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void startNode() throws Exception {
    node = TestNode.start(dir);
  }

  @AfterAll
  static void stopNode() throws Exception {
    if (node != null) {
      node.close();
    }
  }

  private static Path app(String name, String... appIni) throws Exception {
    Path app = Files.createDirectories(dir.resolve("apps").resolve(name));
    Files.writeString(app.resolve("app.ini"), "[production]\n" + String.join("\n", appIni) + "\n");
    return app;
  }

  private static final String ECHO_APP =
      """
      import json, os
      import fromlib, fromsite

      def application(environ, start_response):
          path = environ.get("PATH_INFO", "")
          log = os.path.join(os.environ["CONFIG_FILES"], "updates.txt")
          if path == "/update":
              with open(log, "a") as f:
                  f.write("%s %s\\n" % (environ["REQUEST_METHOD"], environ.get("silverlining.update")))
              if os.path.exists(os.path.join(os.path.dirname(__file__), "FAIL_UPDATE")):
                  start_response("500 Internal Server Error", [("Content-Type", "text/plain")])
                  return [b"the update went wrong"]
          body = json.dumps({
              "script_name": environ.get("SCRIPT_NAME"),
              "path_info": path,
              "update": environ.get("silverlining.update"),
              "libs": [fromlib.NAME, fromsite.NAME],
              "updates": open(log).read() if os.path.exists(log) else "",
              "version": open(os.path.join(os.path.dirname(__file__), "VERSION")).read().strip(),
          })
          start_response("200 OK", [("Content-Type", "application/json")])
          return [body.encode("utf-8")]
      """;

  private static Path echoApp(String version) throws Exception {
    Path a =
        app(
            "echo-" + version,
            "app_name = echo",
            "runner = main.py",
            "service.files =",
            "update_fetch = /update");
    Files.writeString(a.resolve("main.py"), ECHO_APP);
    Files.writeString(a.resolve("VERSION"), version);
    Path lib = Files.createDirectories(a.resolve("lib/python"));
    Files.writeString(lib.resolve("fromlib.py"), "NAME = 'lib/python'\n");
    Path site =
        Files.createDirectories(
            a.resolve("lib").resolve("python" + debianPythonVersion()).resolve("site-packages"));
    Files.writeString(site.resolve("fromsite.py"), "NAME = 'site-packages'\n");
    return a;
  }

  /** X.Y of /usr/bin/python3, whose lib/pythonX.Y/site-packages the app's layout must match. */
  private static String debianPythonVersion() throws Exception {
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3", "-c", "import sys; print('%d.%d' % sys.version_info[:2])")
            .start();
    return new String(p.getInputStream().readAllBytes()).strip();
  }

  @Test
  void aWsgiAppUnderAPathPrefixSeesItAsScriptNameAndItsLibrariesAndAnUpdateGet() throws Exception {
    node.update(echoApp("1"), "echo.test/blog");

    String body = node.get("echo.test", "/blog/some/page?x=1").body();

    assertThat(body)
        .contains("\"script_name\": \"/blog\"")
        .contains("\"path_info\": \"/some/page\"")
        .contains("\"update\": null")
        .contains("\"libs\": [\"lib/python\", \"site-packages\"]")
        .contains("\"updates\": \"GET True\\n\"");
  }

  @Test
  void aFailingUpdateFetchIsRevertedAndTheOldVersionServes() throws Exception {
    node.update(echoApp("1"), "revert.test", "--name", "revert");
    Path v2 = echoApp("2");
    Files.writeString(v2.resolve("FAIL_UPDATE"), "");

    TestNode.Result r = node.silver("update", v2.toString(), "revert.test", "--name", "revert");

    assertThat(r.exitCode()).as(r.output()).isNotZero();
    assertThat(r.output()).contains("update_fetch").contains("the update went wrong");
    assertThat(node.get("revert.test", "/").body()).contains("\"version\": \"1\"");
  }

  @Test
  void aPasteDeployRunnerIsLoadedWithItsSection() throws Exception {
    Path a = app("paste", "app_name = paste", "runner = config.ini#main");
    Files.writeString(
        a.resolve("config.ini"),
        """
        [app:main]
        paste.app_factory = greeter:make_app
        greeting = hello from paste
        """);
    Files.writeString(
        a.resolve("greeter.py"),
        """
        def make_app(global_conf, greeting):
            def app(environ, start_response):
                start_response("200 OK", [("Content-Type", "text/plain")])
                return [("%s at %s" % (greeting, environ["SCRIPT_NAME"] or "/")).encode()]
            return app
        """);

    node.update(a, "paste.test/p");

    assertThat(node.get("paste.test", "/p/x").body()).isEqualTo("hello from paste at /p");
  }

  @Test
  void silverRunUploadsAFileArgumentRunsTheScriptInTheAppsEnvironmentAndPassesItsExitCode()
      throws Exception {
    Path a = echoApp("run");
    Path bin = Files.createDirectories(a.resolve("bin"));
    Files.writeString(
        bin.resolve("count.py"),
        """
        import os, sys
        import fromlib
        n = sum(1 for _ in open(sys.argv[1]))
        files = "yes" if os.path.isdir(os.environ["CONFIG_FILES"]) else "no"
        print("lines: %d, %s, files: %s, then %s" % (n, fromlib.NAME, files, sys.argv[2]))
        print("a warning", file=sys.stderr)
        sys.exit(3)
        """);
    node.update(a, "run.test", "--name", "runner");
    Path data = dir.resolve("data.txt");
    Files.writeString(data, "1\n2\n3\n4\n5\n");

    TestNode.Result r = node.silver("run", "run.test", "count.py", data.toString(), "plain");

    assertThat(r.exitCode()).as(r.output()).isEqualTo(3);
    assertThat(r.stdout()).isEqualTo("lines: 5, lib/python, files: yes, then plain\n");
    assertThat(r.stderr()).isEqualTo("a warning\n");
  }

  @Test
  void silverRunOfAScriptTheAppLacksSaysSo() throws Exception {
    node.update(echoApp("1"), "norun.test", "--name", "norun");

    TestNode.Result r = node.silver("run", "norun.test", "bin/nothing.py");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.stderr()).contains("the app has no script bin/nothing.py");
  }

  /**
   * Runs {@code argv} on a new pseudo-terminal (Python's pty module), typing each step's keys once
   * the output so far shows its expected text; prints the output and the exit code.
   */
  private static final String TERMINAL_DRIVER =
      """
      import os, pty, select, sys, time
      argv, steps = sys.argv[1:], [
          (None, b">>> "), (b"print(6*7)\\r", b"42"),
          (b"while True: pass\\r", b"... "), (b"\\r", b"\\n"), (b"\\x03", b"KeyboardInterrupt"),
          (b"application.__name__\\r", b"'application'"), (b"\\x04", None)]
      pid, fd = pty.fork()
      if pid == 0:
          os.execvp(argv[0], argv)
      out = b""
      try:
          for keys, expect in steps:
              if keys is not None:
                  os.write(fd, keys)
              end = time.time() + 60
              while expect is not None and expect not in out and time.time() < end:
                  if select.select([fd], [], [], 0.5)[0]:
                      out += os.read(fd, 4096)
      except OSError:
          pass  # the command ended early; its output shows why
      while True:
          try:
              data = os.read(fd, 4096)
          except OSError:
              break
          if not data:
              break
          out += data
      _, status = os.waitpid(pid, 0)
      sys.stdout.write(out.decode("utf-8", "replace"))
      print("\\nexit %d" % os.waitstatus_to_exitcode(status))
      """;

  @Test
  void silverShellOnATerminalIsAPythonConsoleWithTheAppLineEditingAndCtrlC() throws Exception {
    node.update(echoApp("1"), "shell.test", "--name", "shell");
    Path driver = dir.resolve("drive.py");
    Files.writeString(driver, TERMINAL_DRIVER);
    ProcessBuilder pb =
        new ProcessBuilder(
                "/usr/bin/python3",
                driver.toString(),
                TestNode.SILVER.toString(),
                "shell",
                "shell.test")
            .directory(TestNode.PROJECT.toFile())
            .redirectErrorStream(true);
    pb.environment().put("HOME", node.home().toString());
    pb.environment().put("TERM", "xterm");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();

    assertThat(out)
        .contains("`application` is main.py's WSGI app")
        .contains("42")
        .contains("KeyboardInterrupt")
        .contains("'application'")
        .endsWith("exit 0\n");
  }

  @Test
  void silverShellWithoutATerminalRunsTheCodeOnStandardInputWithTheAppLoaded() throws Exception {
    node.update(echoApp("1"), "pipe.test", "--name", "piped");

    TestNode.Result r =
        node.run(
            java.util.List.of("shell", "pipe.test"),
            "print('sees', application.__name__, fromlib.NAME)\n");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEqualTo("sees application lib/python\n");
  }

  /**
   * A Java app in a jar this test compiles: {@code tiny.Main} serves HTTP on $PORT, {@code
   * tiny.Tool} is a command-line class for {@code silver run --java} and the shell.
   */
  private static Path javaApp(String name) throws Exception {
    Path a =
        app(name, "app_name = " + name, "runtime = java", "runner = tiny.jar", "service.files =");
    Path src = Files.createDirectories(dir.resolve("src-" + name).resolve("tiny"));
    Files.writeString(
        src.resolve("Main.java"),
        """
        package tiny;
        public class Main {
          public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(System.getenv("PORT"));
            var server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", port), 0);
            server.createContext("/", x -> {
              byte[] b = "tiny\\n".getBytes();
              x.sendResponseHeaders(200, b.length);
              x.getResponseBody().write(b);
              x.close();
            });
            server.start();
          }
        }
        """);
    Files.writeString(
        src.resolve("Tool.java"),
        """
        package tiny;
        import java.nio.file.*;
        public class Tool {
          public static final String NAME = "tiny tool";
          public static void main(String[] args) throws Exception {
            long n;
            try (var lines = Files.lines(Path.of(args[0]))) {
              n = lines.count();
            }
            boolean files = Files.isDirectory(Path.of(System.getenv("CONFIG_FILES")));
            System.out.println("lines: " + n + ", files: " + files + ", then " + args[1]);
            System.err.println("a warning");
            System.exit(4);
          }
        }
        """);
    Path classes = Files.createDirectories(dir.resolve("classes-" + name));
    int javac =
        javax.tools.ToolProvider.getSystemJavaCompiler()
            .run(
                null,
                null,
                null,
                "-d",
                classes.toString(),
                src.resolve("Main.java").toString(),
                src.resolve("Tool.java").toString());
    assertThat(javac).isZero();
    var manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "tiny.Main");
    try (var jar =
        new java.util.jar.JarOutputStream(Files.newOutputStream(a.resolve("tiny.jar")), manifest)) {
      for (String c : new String[] {"Main.class", "Tool.class"}) {
        jar.putNextEntry(new java.util.jar.JarEntry("tiny/" + c));
        jar.write(Files.readAllBytes(classes.resolve("tiny").resolve(c)));
        jar.closeEntry();
      }
    }
    return a;
  }

  @Test
  void silverRunJavaRunsAClassOnTheAppsClasspathWithAnUploadedFileAndItsExitCode()
      throws Exception {
    node.update(javaApp("javarun"), "javarun.test");
    Path data = dir.resolve("java-data.txt");
    Files.writeString(data, "1\n2\n3\n");

    TestNode.Result r =
        node.silver("run", "javarun.test", "--java", "tiny.Tool", data.toString(), "plain");

    assertThat(r.exitCode()).as(r.output()).isEqualTo(4);
    assertThat(r.stdout()).isEqualTo("lines: 3, files: true, then plain\n");
    assertThat(r.stderr()).isEqualTo("a warning\n");
  }

  @Test
  void silverShellOfAJavaAppIsJshellWithItsClasspathAndEnvironment() throws Exception {
    node.update(javaApp("jshell"), "jshell.test");

    TestNode.Result r =
        node.run(
            java.util.List.of("shell", "jshell.test"),
            "System.out.println(\"sees \" + tiny.Tool.NAME + \" \""
                + " + (System.getenv(\"CONFIG_FILES\") != null))\n");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).contains("sees tiny tool true");
  }

  @Test
  void aPhpAppUnderAPrefixUsesMysqlThroughPhpFpmAndItsUpdateFetchIsAGet() throws Exception {
    ServicesIT.Servers.mysql();
    Path a =
        app(
            "php",
            "app_name = phpwiki",
            "platform = php",
            "runner = index.php",
            "service.mysql =",
            "update_fetch = /update.php");
    String connect =
        "$db = new mysqli(getenv('CONFIG_MYSQL_HOST'), getenv('CONFIG_MYSQL_USERNAME'),"
            + " $_SERVER['CONFIG_MYSQL_PASSWORD'], getenv('CONFIG_MYSQL_DBNAME'),"
            + " (int) getenv('CONFIG_MYSQL_PORT'));\n";
    Files.writeString(
        a.resolve("update.php"),
        "<?php\n"
            + connect
            + "$db->query('CREATE TABLE IF NOT EXISTS updates (how varchar(40))');\n"
            + "$how = $_SERVER['REQUEST_METHOD'] . ' ' . ($_SERVER['HTTP_X_SILVER_INTERNAL'] ?? '');\n"
            + "$db->query(\"INSERT INTO updates VALUES ('$how')\");\n"
            + "echo 'updated';\n");
    Files.writeString(
        a.resolve("index.php"),
        "<?php\n"
            + connect
            + "$row = $db->query('SELECT how FROM updates LIMIT 1')->fetch_row();\n"
            + "error_log('wiki saw ' . $_SERVER['PATH_INFO']);\n"
            + "header('Content-Type: text/plain');\n"
            + "echo $row[0], '|', $_SERVER['SCRIPT_NAME'], '|', $_SERVER['PATH_INFO'], '|',"
            + " $_SERVER['REQUEST_URI'];\n");

    Files.writeString(a.resolve("style.css"), "body { color: green }\n");
    node.update(a, "php.test/wiki");

    var css = node.get("php.test", "/wiki/style.css");
    assertThat(css.body()).as("a file of php_root is served by the front").contains("color: green");
    assertThat(node.get("php.test", "/wiki/app.ini").body())
        .as("app.ini is not a public file")
        .startsWith("GET update|/wiki/index.php|/app.ini");

    assertThat(node.get("php.test", "/wiki/Some/Page?x=1").body())
        .isEqualTo("GET update|/wiki/index.php|/Some/Page|/wiki/Some/Page?x=1");
    TestNode.Result logs = node.silver("logs", "php.test/wiki", "-n", "200");
    assertThat(logs.stdout())
        .as("PHP's error output during a request is in the app's log: %s", logs.output())
        .contains("wiki saw /Some/Page");
    assertThat(node.log()).doesNotContain("wiki saw");
    var missing = node.get("php.test", "/wiki/nothing.php");
    assertThat(missing.body()).startsWith("GET update|/wiki/index.php|/nothing.php");
  }
}
