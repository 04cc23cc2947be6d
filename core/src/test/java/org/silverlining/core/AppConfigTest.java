package org.silverlining.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AppConfigTest {
  private static final String FULL =
      """
      # The guestbook, with every kind of key.
      [production]
      app_name = guestbook
      runtime = java
      runner = target/guestbook.jar
      java_options = -Xmx128m -XX:+UseSerialGC
      classpath = lib/*
      processes = 2
      health = /ping
      default_location = guestbook.example.com/app
      update_fetch = /admin/migrate /admin/warm
      migrate_fetch = /admin/migrate
      test_command = mvn -q test
      build = mvn -q package
      packages = curl
          git
      env.greeting = hello
      env.MAX_ITEMS = 10
      service.postgres = guestbook
      service.files =
      config.theme = dark
      backup.keep = 7

      [devel]
      processes = 1
      health = /dev-ping
      env.greeting = hello from devel
      """;

  private static AppConfig parse(String text, boolean devel) {
    return AppConfig.parse(IniFile.parse("app.ini", text), devel);
  }

  private static AppConfig parse(String text) {
    return parse(text, false);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(String text) {
    return assertThatThrownBy(() -> parse(text)).isInstanceOf(InvalidConfigException.class);
  }

  @Nested
  class AFullValidFile {
    @Test
    void readsEveryTypedSetting() {
      AppConfig c = parse(FULL);

      assertThat(c.appName()).isEqualTo("guestbook");
      assertThat(c.runtime()).isEqualTo(Runtime.JAVA);
      assertThat(c.runner()).isEqualTo("target/guestbook.jar");
      assertThat(c.javaOptions()).isEqualTo("-Xmx128m -XX:+UseSerialGC");
      assertThat(c.classpath()).isEqualTo("lib/*");
      assertThat(c.processes()).isEqualTo(2);
      assertThat(c.processCount()).isEqualTo(2);
      assertThat(c.health()).isEqualTo("/ping");
      assertThat(c.defaultLocation()).isEqualTo("guestbook.example.com/app");
      assertThat(c.updateFetch()).containsExactly("/admin/migrate", "/admin/warm");
    }

    @Test
    void collectsEnvironmentVariablesUnderUpperCaseNames() {
      assertThat(parse(FULL).env())
          .containsExactlyInAnyOrderEntriesOf(Map.of("GREETING", "hello", "MAX_ITEMS", "10"));
    }

    @Test
    void collectsServicesByName() {
      assertThat(parse(FULL).services())
          .containsExactlyInAnyOrderEntriesOf(Map.of("postgres", "guestbook", "files", ""));
    }

    @Test
    void keepsOtherKnownKeysAsSettings() {
      assertThat(parse(FULL).settings())
          .containsEntry("migrate_fetch", "/admin/migrate")
          .containsEntry("test_command", "mvn -q test")
          .containsEntry("build", "mvn -q package")
          .containsEntry("packages", "curl\ngit")
          .containsEntry("config.theme", "dark")
          .containsEntry("backup.keep", "7")
          .doesNotContainKeys("env.greeting", "service.postgres");
    }

    @Test
    void hasNoWarnings() {
      assertThat(parse(FULL).warnings()).isEmpty();
      assertThat(parse(FULL, true).warnings()).isEmpty();
    }

    @Test
    void ignoresTheDevelSectionOutsideDevelopment() {
      AppConfig c = parse(FULL, false);

      assertThat(c.processes()).isEqualTo(2);
      assertThat(c.health()).isEqualTo("/ping");
      assertThat(c.env()).containsEntry("GREETING", "hello");
    }

    @Test
    void laysTheDevelSectionOverProductionInDevelopment() {
      AppConfig c = parse(FULL, true);

      assertThat(c.processes()).isEqualTo(1);
      assertThat(c.health()).isEqualTo("/dev-ping");
      assertThat(c.env()).containsEntry("GREETING", "hello from devel");
      assertThat(c.appName()).isEqualTo("guestbook");
      assertThat(c.runner()).isEqualTo("target/guestbook.jar");
    }

    @Test
    void itsCollectionsCannotBeChanged() {
      AppConfig c = parse(FULL);

      assertThatThrownBy(() -> c.env().put("X", "y"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> c.warnings().add("x"))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThatThrownBy(() -> c.updateFetch().add("/x"))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Nested
  class OriginalSilverLiningPlatforms {
    @Test
    void aPyRunnerWithoutRuntimeIsPython() {
      assertThat(parse("[production]\napp_name = blog\nrunner = main.py\n").runtime())
          .isEqualTo(Runtime.PYTHON);
    }

    @Test
    void aPasteDeployRunnerWithASectionIsPython() {
      assertThat(parse("[production]\napp_name = blog\nrunner = src/config.ini#main\n").runtime())
          .isEqualTo(Runtime.PYTHON);
    }

    @Test
    void aPhpRunnerWithoutRuntimeIsPhp() {
      AppConfig c = parse("[production]\napp_name = wiki\nrunner = index.php\n");
      assertThat(c.runtime()).isEqualTo(Runtime.PHP);
      assertThat(c.phpRoot()).isEqualTo(".");
    }

    @Test
    void platformChoosesTheRuntimeAndPhpRootIsKept() {
      AppConfig c =
          parse("[production]\napp_name = wiki\nplatform = php\nrunner = x.php\nphp_root = web\n");
      assertThat(c.runtime()).isEqualTo(Runtime.PHP);
      assertThat(c.phpRoot()).isEqualTo("web");
      assertThat(c.warnings()).isEmpty();
    }

    @Test
    void anExplicitRuntimeWinsOverTheRunnersName() {
      assertThat(
              parse("[production]\napp_name = a\nruntime = command\nrunner = python3 app.py\n")
                  .runtime())
          .isEqualTo(Runtime.COMMAND);
      assertThat(parse("[production]\napp_name = a\nruntime = java\nrunner = Main.py\n").runtime())
          .isEqualTo(Runtime.JAVA);
    }

    @Test
    void anyOtherRunnerStaysJava() {
      assertThat(parse("[production]\napp_name = a\nrunner = com.example.Main\n").runtime())
          .isEqualTo(Runtime.JAVA);
      assertThat(parse("[production]\napp_name = a\nrunner = python3 app.py\n").runtime())
          .isEqualTo(Runtime.JAVA);
    }
  }

  @Nested
  class Defaults {
    @Test
    void aMinimalFileIsAJavaAppWithOneProcess() {
      AppConfig c = parse("[production]\napp_name = hello\nrunner = target/hello.jar\n");

      assertThat(c.runtime()).isEqualTo(Runtime.JAVA);
      assertThat(c.processes()).isEqualTo(1);
      assertThat(c.health()).isEmpty();
      assertThat(c.defaultLocation()).isEmpty();
      assertThat(c.javaOptions()).isEmpty();
      assertThat(c.updateFetch()).isEmpty();
      assertThat(c.env()).isEmpty();
      assertThat(c.services()).isEmpty();
      assertThat(c.warnings()).isEmpty();
    }

    @Test
    void aStaticAppNeedsNoRunnerAndRunsNoProcess() {
      AppConfig c = parse("[production]\napp_name = site\nruntime = static\n");

      assertThat(c.runtime()).isEqualTo(Runtime.STATIC);
      assertThat(c.runner()).isEmpty();
      assertThat(c.processCount()).isZero();
    }

    @Test
    void aCommandAppRunsItsCommandLine() {
      AppConfig c =
          parse("[production]\napp_name = py\nruntime = command\nrunner = python3 app.py\n");

      assertThat(c.runtime()).isEqualTo(Runtime.COMMAND);
      assertThat(c.runner()).isEqualTo("python3 app.py");
    }

    @Test
    void theDevelSectionMayBeAbsentInDevelopment() {
      AppConfig c = parse("[production]\napp_name = hello\nrunner = a.jar\n", true);

      assertThat(c.appName()).isEqualTo("hello");
    }
  }

  @Nested
  class Warnings {
    @Test
    void anUnknownKeyIsAWarningNamingFileLineAndKey() {
      AppConfig c = parse("[production]\napp_name = hello\nrunner = a.jar\nrunnner = b.jar\n");

      assertThat(c.warnings()).containsExactly("app.ini:4: unknown key 'runnner' is ignored");
      assertThat(c.runner()).isEqualTo("a.jar");
    }

    @Test
    void anUnknownKeyInDevelIsWarnedOnlyInDevelopment() {
      String text = "[production]\napp_name = hello\nrunner = a.jar\n[devel]\ndebugger = on\n";

      assertThat(parse(text, false).warnings()).isEmpty();
      assertThat(parse(text, true).warnings())
          .containsExactly("app.ini:5: unknown key 'debugger' is ignored");
    }

    @Test
    void otherSectionsAreLeftAlone() {
      AppConfig c =
          parse("[production]\napp_name = hello\nrunner = a.jar\n[notes]\nanything = 1\n");

      assertThat(c.warnings()).isEmpty();
    }
  }

  @Nested
  class Errors {
    @ParameterizedTest
    @ValueSource(strings = {"cdn.example.com", "ftp://cdn.example.com", "https://x/?a=1", "/s"})
    void aStaticUrlThatIsNotABaseUrlIsRejectedNamingItsLine(String url) {
      assertInvalid("[production]\napp_name = a\nrunner = a.jar\nstatic_url = " + url + "\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining("static_url = '" + url + "'")
          .hasMessageContaining("https://cdn.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://s3.example.com/b", "s3://", "s3://B/x", "bucket/prefix"})
    void aCdnThatIsNotAnS3LocationIsRejectedNamingItsKeyAndLine(String value) {
      assertInvalid("[production]\napp_name = a\nrunner = a.jar\ncdn = " + value + "\n")
          .hasMessageStartingWith("app.ini:4: cdn = '" + value + "'")
          .hasMessageContaining("s3://BUCKET/PREFIX");
    }

    @Test
    void aFileWithoutProductionSectionIsRejected() {
      assertInvalid("[devel]\napp_name = hello\n")
          .hasMessageStartingWith("app.ini: ")
          .hasMessageContaining("[production]");
    }

    @Test
    void aMissingAppNameIsRejected() {
      assertInvalid("[production]\nrunner = a.jar\n")
          .hasMessageStartingWith("app.ini: ")
          .hasMessageContaining("app_name");
    }

    @Test
    void anEmptyAppNameIsRejected() {
      assertInvalid("[production]\napp_name =\nrunner = a.jar\n")
          .hasMessageStartingWith("app.ini:2: ")
          .hasMessageContaining("app_name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Hello", "9lives", "my_app", "my app", "-x", "app.name", "héllo"})
    void aBadAppNameIsRejectedNamingItsLine(String name) {
      assertInvalid("[production]\n\napp_name = " + name + "\nrunner = a.jar\n")
          .hasMessageStartingWith("app.ini:3: ")
          .hasMessageContaining("'" + name + "'")
          .hasMessageContaining("[a-z][a-z0-9-]*");
    }

    @Test
    void aMissingRunnerIsRejectedWithAnExample() {
      assertInvalid("[production]\napp_name = hello\n")
          .hasMessageStartingWith("app.ini: ")
          .hasMessageContaining("runtime = java needs a runner")
          .hasMessageContaining("runner = target/app.jar");
    }

    @Test
    void aCommandAppWithoutRunnerIsRejected() {
      assertInvalid("[production]\napp_name = hello\nruntime = command\n")
          .hasMessageContaining("runtime = command needs a runner");
    }

    @Test
    void anUnknownRuntimeIsRejectedNamingItsLine() {
      assertInvalid("[production]\napp_name = hello\nruntime = ruby\nrunner = app.rb\n")
          .hasMessageStartingWith("app.ini:3: ")
          .hasMessageContaining("unknown runtime 'ruby'")
          .hasMessageContaining("java, command, static, python, php");
    }

    @Test
    void anUnknownPlatformIsRejectedWithTheKnownOnes() {
      assertInvalid("[production]\napp_name = hello\nplatform = perl\nrunner = app.pl\n")
          .hasMessageStartingWith("app.ini:3: ")
          .hasMessageContaining(
              "unknown platform 'perl'; use one of java, command, static, python, php");
    }

    @Test
    void platformAndRuntimeThatDisagreeAreRejected() {
      assertInvalid(
              "[production]\napp_name = hello\nplatform = php\nruntime = python\nrunner = a.py\n")
          .hasMessageContaining("disagree");
    }

    @Test
    void anUnknownRuntimeInDevelNamesTheDevelLine() {
      String text = "[production]\napp_name = hello\nrunner = a.jar\n[devel]\nruntime = nope\n";

      assertThatThrownBy(() -> parse(text, true))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith("app.ini:5: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "65", "two", "1.5", ""})
    void badProcessesAreRejectedNamingTheirLine(String processes) {
      assertInvalid(
              "[production]\napp_name = hello\nrunner = a.jar\nprocesses = " + processes + "\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining("processes must be a number from 1 to 64");
    }

    @Test
    void theLargestProcessCountIsAccepted() {
      assertThat(parse("[production]\napp_name = a\nrunner = a.jar\nprocesses = 64\n").processes())
          .isEqualTo(AppConfig.MAX_PROCESSES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ping", "http://localhost/ping"})
    void aHealthCheckThatIsNotAPathIsRejectedNamingItsLine(String health) {
      assertInvalid("[production]\napp_name = a\nrunner = a.jar\nhealth = " + health + "\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining("health must be a path starting with /");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"bad host!", "example.com:99999", "example.com/../etc", "under_score.com"})
    void aBadDefaultLocationIsRejectedNamingItsLine(String location) {
      assertInvalid(
              "[production]\napp_name = a\nrunner = a.jar\ndefault_location = " + location + "\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining("invalid location");
    }

    @Test
    void anUpdateFetchThatIsNotAPathIsRejectedNamingItsLine() {
      assertInvalid("[production]\napp_name = a\nrunner = a.jar\nupdate_fetch = /ok\n  warm\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining("not warm");
    }

    @ParameterizedTest
    @ValueSource(strings = {"migrate_fetch", "test_fetch"})
    void aMigrateOrTestFetchThatIsNotAPathIsRejectedNamingItsLine(String key) {
      assertInvalid("[production]\napp_name = a\nrunner = a.jar\n" + key + " = migrate\n")
          .hasMessageStartingWith("app.ini:4: ")
          .hasMessageContaining(key + " URLs are paths starting with /, not migrate");
    }

    @Test
    void migrateFetchTestFetchAndTestCommandAreRead() {
      AppConfig c =
          parse(
              "[production]\napp_name = a\nrunner = a.jar\nmigrate_fetch = /m1\n  /m2\n"
                  + "test_fetch = /t\ntest_command = ./selftest --quick\n");
      assertThat(c.migrateFetch()).containsExactly("/m1", "/m2");
      assertThat(c.testFetch()).containsExactly("/t");
      assertThat(c.testCommand()).isEqualTo("./selftest --quick");
      AppConfig none = parse("[production]\napp_name = a\nrunner = a.jar\n");
      assertThat(none.migrateFetch()).isEmpty();
      assertThat(none.testFetch()).isEmpty();
      assertThat(none.testCommand()).isEmpty();
    }

    @Test
    void theExceptionCarriesSourceAndLine() {
      assertThatThrownBy(() -> parse("[production]\napp_name = Bad\nrunner = a.jar\n"))
          .isInstanceOfSatisfying(
              InvalidConfigException.class,
              e -> {
                assertThat(e.source()).isEqualTo("app.ini");
                assertThat(e.line()).isEqualTo(2);
              });
    }
  }

  @Nested
  class Loading {
    @TempDir Path appDir;

    @Test
    void loadsAppIniFromTheAppFolder() throws IOException {
      Files.writeString(
          appDir.resolve("app.ini"), "[production]\napp_name = hello\nrunner = a.jar\n");

      assertThat(AppConfig.exists(appDir)).isTrue();
      assertThat(AppConfig.load(appDir, false).appName()).isEqualTo("hello");
    }

    @Test
    void aMissingAppIniSaysHowToCreateOne() {
      assertThat(AppConfig.exists(appDir)).isFalse();
      assertThatThrownBy(() -> AppConfig.load(appDir, false))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith(appDir.resolve("app.ini") + ": ")
          .hasMessageContaining("silver init");
    }

    @Test
    void errorsNameTheFilePath() throws IOException {
      Path file = Files.writeString(appDir.resolve("app.ini"), "[production]\napp_name = Hello\n");

      assertThatThrownBy(() -> AppConfig.load(appDir, false))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageStartingWith(file + ":2: ");
    }

    @Test
    void aFolderNamedAppIniIsNotAnAppIni() throws IOException {
      Files.createDirectory(appDir.resolve("app.ini"));

      assertThat(AppConfig.exists(appDir)).isFalse();
    }
  }

  @Test
  void runtimesAreFoundByTheirLowerCaseId() {
    assertThat(Runtime.byId("java")).isEqualTo(Runtime.JAVA);
    assertThat(Runtime.byId("command")).isEqualTo(Runtime.COMMAND);
    assertThat(Runtime.byId("static")).isEqualTo(Runtime.STATIC);
    assertThat(Runtime.byId("JAVA")).isNull();
    assertThat(Runtime.byId("")).isNull();
    assertThat(Runtime.STATIC.id()).isEqualTo("static");
  }

  @Test
  void refusesAnAppNameThatCouldCollideWithTheDatabasesOfSilverTest() {
    assertThatThrownBy(() -> parse("[production]\napp_name = test-shop\nrunner = a.jar\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("app.ini:2:")
        .hasMessageContaining("silver test");
  }
}
