package org.silverlining.node.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.silverlining.core.AppConfig;
import org.silverlining.core.IniFile;

class AppEnvironmentTest {
  private static final AppConfig APP =
      AppConfig.parse(
          IniFile.parse(
              "app.ini",
              """
              [production]
              app_name = blog
              runtime = command
              runner = python3 app.py
              env.greeting = hello
              env.DB_POOL = 4
              """),
          false);

  private static final Map<String, String> NODE_ENV =
      Map.of(
          "PATH", "/usr/bin:/bin",
          "HOME", "/home/silver",
          "LANG", "C.UTF-8",
          "JAVA_HOME", "/opt/jdk",
          "AWS_SECRET_ACCESS_KEY", "must-not-leak",
          "SILVER_ADMIN_TOKEN", "must-not-leak",
          "OLDPWD", "/tmp");

  private static AppEnvironment.Facts facts(boolean devel, String matchPath, String host) {
    return new AppEnvironment.Facts(
        "0.1.0",
        devel,
        "blog.20261126_002",
        APP,
        matchPath,
        host,
        "/srv/silver/apps/blog/config",
        "/srv/silver/logs/apps/blog",
        "/srv/silver/apps/blog/tmp");
  }

  @Test
  void aProcessGetsExactlyTheDocumentedVariablesItsEnvAndTheInheritedTools() {
    Map<String, String> env =
        AppEnvironment.forProcess(facts(false, "/blog", "www.example.com"), 40123, NODE_ENV);

    assertThat(env)
        .containsOnly(
            entry("PATH", "/usr/bin:/bin"),
            entry("HOME", "/home/silver"),
            entry("LANG", "C.UTF-8"),
            entry("JAVA_HOME", "/opt/jdk"),
            entry("GREETING", "hello"),
            entry("DB_POOL", "4"),
            entry("PORT", "40123"),
            entry("SILVER_VERSION", "silverlining/0.1.0"),
            entry("SILVER_INSTANCE_NAME", "blog.20261126_002"),
            entry("SILVER_APP_NAME", "blog"),
            entry("SILVER_MATCH_PATH", "/blog"),
            entry("SILVER_CANONICAL_HOSTNAME", "www.example.com"),
            entry("SILVER_APP_CONFIG", "/srv/silver/apps/blog/config"),
            entry("SILVER_LOGS", "/srv/silver/logs/apps/blog"),
            entry("TEMP", "/srv/silver/apps/blog/tmp"),
            entry("TMPDIR", "/srv/silver/apps/blog/tmp"));
  }

  @Test
  void secretsAndOtherVariablesOfTheNodeAreNotPassedOn() {
    Map<String, String> env = AppEnvironment.forProcess(facts(false, "/", ""), 1, NODE_ENV);

    assertThat(env).doesNotContainKeys("AWS_SECRET_ACCESS_KEY", "SILVER_ADMIN_TOKEN", "OLDPWD");
  }

  @Test
  void inheritedVariablesTheNodeLacksAreLeftOut() {
    Map<String, String> env = AppEnvironment.forProcess(facts(false, "/", ""), 1, Map.of());

    assertThat(env).doesNotContainKeys("PATH", "HOME", "LANG", "LC_ALL", "TZ", "JAVA_HOME", "USER");
  }

  @Test
  void atTheRootTheMatchPathIsEmpty() {
    assertThat(AppEnvironment.forProcess(facts(false, "/", ""), 1, NODE_ENV))
        .containsEntry("SILVER_MATCH_PATH", "")
        .containsEntry("SILVER_CANONICAL_HOSTNAME", "");
  }

  @Test
  void inDevelopmentTheVersionSaysDevel() {
    assertThat(AppEnvironment.forProcess(facts(true, "/", ""), 1, NODE_ENV))
        .containsEntry("SILVER_VERSION", "devel/0.1.0");
  }

  @Test
  void theConfigVariablesOfTheAppsServicesArePassedOn() {
    AppEnvironment.Facts f =
        new AppEnvironment.Facts(
            "0.1.0",
            false,
            "blog.20261126_002",
            APP,
            "/",
            "",
            "c",
            "l",
            "t",
            Map.of("CONFIG_FILES", "/srv/silver/apps/blog/files", "CONFIG_PG_DBNAME", "blog"));

    assertThat(AppEnvironment.forProcess(f, 1, NODE_ENV))
        .containsEntry("CONFIG_FILES", "/srv/silver/apps/blog/files")
        .containsEntry("CONFIG_PG_DBNAME", "blog");
  }

  @Test
  void theNodesOwnNamesWinOverTheAppsEnvEntries() {
    AppConfig sneaky =
        AppConfig.parse(
            IniFile.parse(
                "app.ini",
                "[production]\napp_name = blog\nruntime = command\nrunner = x\n"
                    + "env.PORT = 1\nenv.SILVER_APP_NAME = other\nenv.PATH = /evil\n"),
            false);
    AppEnvironment.Facts f =
        new AppEnvironment.Facts(
            "0.1.0", false, "blog.20261126_001", sneaky, "/", "", "c", "l", "t");

    Map<String, String> env = AppEnvironment.forProcess(f, 5000, NODE_ENV);

    assertThat(env)
        .containsEntry("PORT", "5000")
        .containsEntry("SILVER_APP_NAME", "blog")
        .containsEntry("PATH", "/evil");
  }
}
